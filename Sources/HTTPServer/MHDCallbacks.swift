import CMicroHTTPD
import Foundation
import Logging

/// The C callbacks handed to libmicrohttpd. They run on MHD's threads and hold no state of their
/// own: the server's `ServerContext` arrives unretained in `cls`, each request's `RequestState`
/// retained in MHD's per-request context pointer.
enum MHDCallbacks {
    /// Creates the request's state as soon as the request line is parsed, before any header.
    ///
    /// MHD passes the target as sent (path and query) and stores the returned pointer as the
    /// request's context, so the completion callback is sure to see it.
    static let requestLine: vault_mhd_uri_log_callback = { cls, uri, _ in
        guard let cls, let uri else { return nil }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()

        let target = UnsafeRawBufferPointer(start: uri, count: strlen(uri))
        context.requestStarted()
        return Unmanaged.passRetained(RequestState(target: Array(target))).toOpaque()
    }

    /// The access handler: the head, each body chunk, then the end of the request.
    static let access: MHD_AccessHandlerCallback = {
        cls, connection, _, method, version, uploadData, uploadDataSize, requestContext in
        guard let cls, let connection, let method, let version, let uploadDataSize,
            let pointer = requestContext?.pointee
        else { return .NO }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        let state = Unmanaged<RequestState>.fromOpaque(pointer).takeUnretainedValue()

        let size = uploadDataSize.pointee
        let chunk = size > 0 ? UnsafeRawBufferPointer(start: uploadData, count: size) : nil
        uploadDataSize.pointee = 0
        return state.handle(
            connection: connection, method: String(cString: method), version: String(cString: version),
            chunk: chunk, context: context)
    }

    /// Ends a request: aborts an unfinished body consumer and releases the request's state.
    static let completed: MHD_RequestCompletedCallback = { cls, _, requestContext, termination in
        guard let cls, let requestContext, let pointer = requestContext.pointee else { return }
        requestContext.pointee = nil
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        let state = Unmanaged<RequestState>.fromOpaque(pointer).takeRetainedValue()

        state.end()
        context.requestEnded()
        if termination != .REQUEST_TERMINATED_COMPLETED_OK {
            context.logger.debug("Request ended early", ["http.termination": "\(termination.rawValue)"])
        }
    }

    /// Leaves percent-escapes alone, so the handler sees the path exactly as sent.
    static let keepEscapes: vault_mhd_unescape_callback = { _, _, text in
        guard let text else { return 0 }
        return strlen(text)
    }

    /// Routes MHD's own diagnostics into the logger at debug level.
    static let log: MHD_LogCallback = { cls, format, arguments in
        guard let cls, let format, let arguments else { return }
        let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
        guard context.logger.level <= .debug else { return }

        var buffer = [CChar](repeating: 0, count: 512)
        let written = buffer.withUnsafeMutableBufferPointer { pointer in
            vault_mhd_format_log(pointer.baseAddress, pointer.count, format, arguments)
        }
        guard written >= 0 else { return }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let message = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
        context.logger.debug("libmicrohttpd reported", ["mhd.message": message])
    }

    /// Appends one header field to the `HTTPHeaders` that `cls` points to.
    static let headerField: MHD_KeyValueIterator = { cls, _, key, value in
        guard let cls, let key else { return .YES }
        let headers = cls.assumingMemoryBound(to: HTTPHeaders.self)
        headers.pointee.add(String(cString: key), value.map { String(cString: $0) } ?? "")
        return .YES
    }

    /// The body of a `.headOnly` response: MHD never asks for it on `HEAD`; on any other method
    /// the connection is closed rather than sending bytes that do not exist.
    static let noBody: MHD_ContentReaderCallback = { _, _, _, _ in
        MHD_CONTENT_READER_END_WITH_ERROR
    }
}
