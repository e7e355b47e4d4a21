/// Tells garbage collection which blobs must stay although no live artifact references them.
///
/// The CI controller supplies one, so that a blob a queued or running job still needs (an input
/// artifact of a later job, say) survives collection; the server sets it with
/// `ArtifactStore.setPinning(_:)`. Collection calls it once per run, before removing anything, and
/// removes nothing when it throws.
public protocol BlobPinning: Sendable {
    /// The digests that must not be removed now.
    func pinnedDigests() throws -> Set<BlobDigest>
}
