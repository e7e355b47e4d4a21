extension MultipartParser {
    /// The boundary of a `multipart/form-data` request, from its `Content-Type` header value.
    ///
    /// The boundary must be 1 to 70 of the characters RFC 2046 allows, not ending in a space.
    public static func boundary(fromContentType contentType: String?) throws(MultipartError) -> String {
        guard let contentType else {
            throw MultipartError(.invalidContentType, "the request has no Content-Type; send multipart/form-data")
        }
        let parsed = MultipartDisposition(contentType)
        guard parsed.type.lowercased() == "multipart/form-data" else {
            throw MultipartError(.invalidContentType, "the Content-Type must be multipart/form-data")
        }
        guard let boundary = parsed.parameters["boundary"] else {
            throw MultipartError(.invalidContentType, "the multipart/form-data Content-Type has no boundary")
        }
        // Two boundaries make the framing ambiguous: a proxy might split the body at the other one.
        guard !parsed.repeatedNames.contains("boundary") else {
            throw MultipartError(.invalidContentType, "the Content-Type names more than one multipart boundary")
        }
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".unicodeScalars)
        guard (1...70).contains(boundary.unicodeScalars.count), boundary.unicodeScalars.allSatisfy(allowed.contains),
            !boundary.hasSuffix(" ")
        else {
            throw MultipartError(.invalidContentType, "the multipart boundary is not 1 to 70 allowed characters")
        }
        return boundary
    }
}
