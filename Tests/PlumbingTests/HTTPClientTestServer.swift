import Foundation

/// A throwaway HTTP/1.1 server in Python for the HTTPClient tests, on 127.0.0.1 and a free port.
///
/// Routes: `/echo` (any method; JSON with method, headers, body size and SHA-256; `?status=N`),
/// `/large?size=N` (bytes `i % 251`), `/slow?seconds=S`, `/chunks?count=N&size=M` (chunked),
/// `/multipart` (JSON describing each part), `/missing` (404 with a JSON error).
final class HTTPClientTestServer {
    let port: Int
    /// A port that was free a moment ago and has nothing listening on it.
    let closedPort: Int
    private let process: Process
    private let input = Pipe()
    private let directory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("httpclient-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path]
        let output = Pipe()
        process.standardOutput = output
        // The server exits when this pipe closes, so it never outlives the test process.
        process.standardInput = input
        try process.run()

        let words = Self.readLine(output.fileHandleForReading).split(separator: " ").compactMap { Int($0) }
        guard words.count == 2 else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        port = words[0]
        closedPort = words[1]
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let script = #"""
        import hashlib, json, os, signal, socket, sys, threading, time
        from email.parser import BytesParser
        from email import policy
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlparse, parse_qs

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def read_body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length", "0")))

            def reply(self, status, body, content_type="application/json", extra=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def handle_any(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = self.read_body()
                if url.path == "/echo":
                    info = {
                        "method": self.command,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "bodySize": len(body),
                        "sha256": hashlib.sha256(body).hexdigest(),
                    }
                    extra = [("X-Echo-Method", self.command), ("X-Repeat", "one"), ("X-Repeat", "two")]
                    self.reply(int(query.get("status", "200")), json.dumps(info).encode(), extra=extra)
                elif url.path == "/large":
                    size = int(query["size"])
                    self.send_response(200)
                    self.send_header("Content-Length", str(size))
                    self.end_headers()
                    pattern = bytes(i % 251 for i in range(251 * 1024))
                    sent = 0
                    while sent < size:
                        offset = sent % 251
                        piece = pattern[offset:offset + min(65536, size - sent)]
                        self.wfile.write(piece)
                        sent += len(piece)
                elif url.path == "/slow":
                    time.sleep(float(query.get("seconds", "5")))
                    self.reply(200, b"late", "text/plain")
                elif url.path == "/chunks":
                    count, size = int(query["count"]), int(query["size"])
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for index in range(count):
                        piece = bytes([65 + index % 26]) * size
                        self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                        self.wfile.flush()
                        time.sleep(0.02)
                    self.wfile.write(b"0\r\n\r\n")
                elif url.path == "/multipart":
                    head = b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n"
                    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
                    parts = []
                    for part in message.iter_parts():
                        data = part.get_payload(decode=True) or b""
                        parts.append({
                            "name": part.get_param("name", header="content-disposition"),
                            "filename": part.get_filename(),
                            "size": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                            "text": data.decode("utf-8", "replace") if part.get_filename() is None else None,
                        })
                    info = {"contentLength": self.headers.get("Content-Length"), "parts": parts}
                    self.reply(201, json.dumps(info).encode())
                else:
                    self.reply(404, b'{"error": {"code": "not_found"}}')

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any

        def exit_when_stdin_closes():
            sys.stdin.buffer.read()
            os._exit(0)

        # Children of dispatch threads inherit a blocked signal mask; undo it.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signal.valid_signals())
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
        probe.close()
        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # clients that hang up early are part of the tests

        server = Server(("127.0.0.1", 0), Handler)
        print(server.server_address[1], closed_port, flush=True)
        server.serve_forever()
        """#
}
