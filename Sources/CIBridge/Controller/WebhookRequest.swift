import Cryptography
import Foundation

/// A webhook as it arrived: the provider route, the headers and the raw body.
public struct WebhookRequest: Sendable {
    /// Which route it came to.
    public enum Provider: String, Sendable {
        case github, gitlab, generic
    }

    public var provider: Provider
    /// Header fields with lower-case names.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(provider: Provider, headers: [String: String], body: [UInt8]) {
        self.provider = provider
        self.headers = headers
        self.body = body
    }

    /// Whether the request is signed with `secret`, checked in constant time on the raw body.
    func isSigned(with secret: [UInt8]) -> Bool {
        switch provider {
        case .github:
            return hasHMACSignature(headers["x-hub-signature-256"], secret: secret)
        case .generic:
            return hasHMACSignature(headers["x-signature-256"], secret: secret)
        case .gitlab:
            guard let token = headers["x-gitlab-token"] else { return false }
            return ConstantTime.equals(Array(token.utf8), secret)
        }
    }

    private func hasHMACSignature(_ header: String?, secret: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256="), let given = Hex.decode(String(header.dropFirst(7))) else {
            return false
        }
        let expected = HMACSHA256.authenticationCode(for: body, key: SecretBytes(secret))
        return ConstantTime.equals(given, expected)
    }

    /// The delivery id used to recognise redeliveries, if the provider sends one.
    var deliveryID: String? {
        let id: String? =
            switch provider {
            case .github: headers["x-github-delivery"]
            case .gitlab: headers["idempotency-key"] ?? headers["x-gitlab-event-uuid"]
            case .generic: headers["x-delivery-id"]
            }
        return id.map { String($0.prefix(200)) }
    }
}

/// What a signed webhook asks for, read from its JSON body.
struct PushEvent: Equatable {
    var repository: String
    var ref: String
    var commit: String
}

extension WebhookRequest {
    /// The push it describes; nil with a reason for events that start nothing (ping, tag deletion).
    func pushEvent() throws(CIError) -> (event: PushEvent?, ignored: String?) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw CIError(.invalidInput, "the webhook body is not a JSON object")
        }
        switch provider {
        case .github:
            let kind = headers["x-github-event"] ?? "push"
            guard kind == "push" else { return (nil, "the \(kind.prefix(40)) event starts no pipeline") }
            if object["deleted"] as? Bool == true { return (nil, "a deleted ref starts no pipeline") }
            let repository = (object["repository"] as? [String: Any])?["full_name"] as? String
            return (try event(repository, object["ref"] as? String, object["after"] as? String), nil)
        case .gitlab:
            let kind = headers["x-gitlab-event"] ?? "Push Hook"
            guard kind == "Push Hook" || kind == "Tag Push Hook" else {
                return (nil, "the \(kind.prefix(40)) event starts no pipeline")
            }
            let repository = (object["project"] as? [String: Any])?["path_with_namespace"] as? String
            let commit = object["checkout_sha"] as? String ?? object["after"] as? String
            if commit == nil || commit == String(repeating: "0", count: 40) {
                return (nil, "a deleted ref starts no pipeline")
            }
            return (try event(repository, object["ref"] as? String, commit), nil)
        case .generic:
            guard object["event"] as? String == "push" else { return (nil, "only push events start pipelines") }
            let branch = object["branch"] as? String
            return (
                try event(object["repo"] as? String, branch.map { "refs/heads/" + $0 }, object["commit"] as? String),
                nil
            )
        }
    }

    private func event(_ repository: String?, _ ref: String?, _ commit: String?) throws(CIError) -> PushEvent {
        guard let repository, let ref, let commit else {
            throw CIError(.invalidInput, "the push payload lacks its repository, ref or commit")
        }
        guard ref.hasPrefix("refs/"), ref.count <= 255, !ref.contains(".."),
            ref.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "\\" })
        else {
            throw CIError(.invalidInput, "the push payload's ref is not a valid Git ref")
        }
        guard GitMirrors.isCommit(commit) else {
            throw CIError(.invalidInput, "the push payload's commit is not a commit id")
        }
        return PushEvent(repository: repository, ref: ref, commit: commit)
    }
}
