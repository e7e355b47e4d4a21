import HTTPClient
import Testing

@Suite("ProgressBar rendering")
struct ProgressBarTests {
    private let mebibyte: Int64 = 1024 * 1024

    @Test func knownTotalShowsPercentBarSizesRateAndETA() {
        let bar = ProgressBar(label: "app.jar", direction: .download, barWidth: 10)
        let progress = TransferProgress(
            uploadedBytes: 0, uploadTotal: 0, downloadedBytes: 10 * mebibyte, downloadTotal: 40 * mebibyte)

        let line = bar.render(progress, elapsedSeconds: 2)

        #expect(line == "app.jar   25% [##........]  10.0 MiB/40.0 MiB  5.0 MiB/s  ETA 0:06")
    }

    @Test func uploadDirectionFollowsUploadCounts() {
        let bar = ProgressBar(label: "x", direction: .upload, barWidth: 4)
        let progress = TransferProgress(
            uploadedBytes: 512, uploadTotal: 1024, downloadedBytes: 99, downloadTotal: 100)

        let line = bar.render(progress, elapsedSeconds: 1)

        #expect(line == "x   50% [##..]  512 B/1.0 KiB  512 B/s  ETA 0:01")
    }

    @Test func unknownTotalShowsOnlyBytesAndRate() {
        let bar = ProgressBar(label: "log", direction: .download)
        let progress = TransferProgress(
            uploadedBytes: 0, uploadTotal: 0, downloadedBytes: 3 * mebibyte / 2, downloadTotal: 0)

        #expect(bar.render(progress, elapsedSeconds: 1) == "log  1.5 MiB  1.5 MiB/s")
    }

    @Test func nothingTransferredYetShowsUnknownRateAndETA() {
        let bar = ProgressBar(label: "a", direction: .download, barWidth: 3)
        let progress = TransferProgress(uploadedBytes: 0, uploadTotal: 0, downloadedBytes: 0, downloadTotal: 100)

        #expect(bar.render(progress, elapsedSeconds: 0) == "a    0% [...]  0 B/100 B  --/s  ETA --:--")
    }

    @Test func completedTransferShowsFullBarAndZeroETA() {
        let bar = ProgressBar(label: "a", direction: .download, barWidth: 3)
        let progress = TransferProgress(uploadedBytes: 0, uploadTotal: 0, downloadedBytes: 100, downloadTotal: 100)

        #expect(bar.render(progress, elapsedSeconds: 4) == "a  100% [###]  100 B/100 B  25 B/s  ETA 0:00")
    }

    @Test func moreBytesThanTheTotalClampTheBar() {
        let bar = ProgressBar(label: "a", direction: .download, barWidth: 3)
        let progress = TransferProgress(uploadedBytes: 0, uploadTotal: 0, downloadedBytes: 150, downloadTotal: 100)

        #expect(bar.render(progress, elapsedSeconds: 1).hasPrefix("a  100% [###]"))
    }

    @Test func longTransfersShowHoursInTheETA() {
        let bar = ProgressBar(label: "big", direction: .upload, barWidth: 2)
        let gibibyte = 1024 * mebibyte
        let progress = TransferProgress(
            uploadedBytes: mebibyte, uploadTotal: 8 * gibibyte, downloadedBytes: 0, downloadTotal: 0)

        let line = bar.render(progress, elapsedSeconds: 1)

        #expect(line == "big    0% [..]  1.0 MiB/8.0 GiB  1.0 MiB/s  ETA 2:16:31")
    }
}
