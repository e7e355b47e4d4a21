import CIBridge
import HTTPServer

/// `POST /v1/webhooks/{github,gitlab,generic}`: push notifications from Git providers.
///
/// Open routes: the signature, checked on the raw body before it is parsed, is the authentication.
enum WebhookRoutes {
    /// GitHub sends push payloads of up to 25 MB; larger ones are refused with 413.
    static let bodyLimit = 25 << 20

    static func make(ci: CIController) -> [Route] {
        [WebhookRequest.Provider.github, .gitlab, .generic].map { provider in
            Route("POST", "/v1/webhooks/\(provider.rawValue)", access: .open, bodyLimit: bodyLimit) {
                context throws(APIError) in
                try context.allowQuery([])
                var headers: [String: String] = [:]
                for field in context.request.head.headers {
                    headers[field.name.lowercased()] = field.value
                }
                let request = WebhookRequest(provider: provider, headers: headers, body: context.body)
                switch try CICalls.run({ () throws(CIError) in try ci.receiveWebhook(request) }) {
                case .accepted(let id):
                    return JSONResponse.make(202, ["status": "accepted", "pipeline": id])
                case .duplicate(let id):
                    return JSONResponse.make(200, ["status": "duplicate", "pipeline": id])
                case .ignored(let reason):
                    return JSONResponse.make(200, ["status": "ignored", "reason": reason])
                }
            }
        }
    }
}
