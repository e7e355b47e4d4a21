import HTTPClient
import Synchronization
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

@Suite("ProgressPrinter drawing")
struct ProgressPrinterTests {
    private static func progress(_ done: Int64) -> TransferProgress {
        TransferProgress(uploadedBytes: 0, uploadTotal: 0, downloadedBytes: done, downloadTotal: 0)
    }

    @Test func reportsWithinTheIntervalDrawOnceAndFinishRedrawsTheLatest() throws {
        let drawn = Mutex<[String]>([])
        let bar = ProgressBar(label: "f", direction: .download)
        let printer = ProgressPrinter(bar: bar, interval: .seconds(3600)) { text in
            drawn.withLock { $0.append(text) }
        }

        let callback: @Sendable (TransferProgress) -> Void = printer.report

        callback(Self.progress(1))
        callback(Self.progress(2))
        printer.finish()

        let lines = drawn.withLock { $0 }
        try #require(lines.count == 2)
        #expect(lines.first?.hasPrefix("\rf  1 B  ") == true)
        #expect(lines.last?.hasPrefix("\rf  2 B  ") == true)
        #expect(lines.last?.hasSuffix("\n") == true)
    }

    @Test func shorterLinePadsOverTheLongerOneBefore() throws {
        let drawn = Mutex<[String]>([])
        let printer = ProgressPrinter(bar: ProgressBar(label: "f", direction: .download), interval: .zero) { text in
            drawn.withLock { $0.append(text) }
        }

        printer.report(Self.progress(5 * 1024 * 1024))
        printer.report(Self.progress(0))

        let lines = drawn.withLock { $0 }
        try #require(lines.count == 2)
        #expect(lines[1].count == lines[0].count)
        #expect(lines[1].hasSuffix(" "))
    }
}
