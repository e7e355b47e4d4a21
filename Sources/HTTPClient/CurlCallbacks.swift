import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The C functions libcurl calls during a transfer.
///
/// They run on the thread inside `curl_easy_perform` and reach their ``TransferContext``
/// through the unretained pointer set as `WRITEDATA`, `HEADERDATA`, `READDATA`, `SEEKDATA`
/// and `XFERINFODATA`. They capture nothing and are isolated to no actor.
enum CurlCallbacks {
    /// `CURLOPT_WRITEFUNCTION`: one chunk of the response body.
    static let write: vault_curl_data_callback = { data, size, count, context in
        let total = size * count
        guard let context, let data else {
            return total == 0 ? 0 : total + 1
        }
        let transfer = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        let bytes = UnsafeRawBufferPointer(start: data, count: total)
        // Any count other than `total` makes libcurl stop with CURLE_WRITE_ERROR.
        return transfer.receiveBody(bytes) ? total : 0
    }

    /// `CURLOPT_HEADERFUNCTION`: one complete response header line, status lines included.
    static let header: vault_curl_data_callback = { data, size, count, context in
        let total = size * count
        guard let context, let data else {
            return total
        }
        let transfer = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: total))
        return total
    }

    /// `CURLOPT_READFUNCTION`: fill libcurl's buffer with the next request body bytes.
    static let read: vault_curl_data_callback = { data, size, count, context in
        guard let context, let data else {
            return Int(CURL_READFUNC_ABORT)
        }
        let transfer = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        let buffer = UnsafeMutableRawBufferPointer(start: data, count: size * count)
        return transfer.fillUpload(buffer) ?? Int(CURL_READFUNC_ABORT)
    }

    /// `CURLOPT_SEEKFUNCTION`: rewind the request body so libcurl can send it again.
    static let seek: vault_curl_seek_callback = { context, offset, origin in
        guard let context, origin == SEEK_SET else {
            return CURL_SEEKFUNC_CANTSEEK
        }
        let transfer = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        return transfer.seekUpload(to: Int64(offset)) ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL
    }

    /// `CURLOPT_XFERINFOFUNCTION`: byte counts for the progress callback; never aborts.
    static let progress: vault_curl_progress_callback = { context, downloadTotal, downloaded, uploadTotal, uploaded in
        guard let context else {
            return 0
        }
        let transfer = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        let report = TransferProgress(
            uploadedBytes: Int64(uploaded),
            uploadTotal: Int64(uploadTotal),
            downloadedBytes: Int64(downloaded),
            downloadTotal: Int64(downloadTotal)
        )
        transfer.progress?(report)
        return 0
    }
}
