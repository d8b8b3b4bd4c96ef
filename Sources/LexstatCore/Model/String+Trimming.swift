import Foundation

extension String {
    /// `trimmingCharacters(in:)` for `.whitespaces` or `.whitespacesAndNewlines`,
    /// answered without Foundation when neither end can be white space.
    ///
    /// Every query resolves its region, indicator and period from request
    /// strings, and Foundation's trimming bridges through NSString: it was 12 %
    /// of a GetSeries profile. A string whose first and last scalars are
    /// printable ASCII, or above U+3000 (CJK and beyond: no white space or line
    /// break lives there), is returned as it is; anything else goes to Foundation.
    func trimmedForLookup(_ set: CharacterSet) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        func keeps(_ s: Unicode.Scalar) -> Bool { (0x21...0x7E).contains(s.value) || s.value > 0x3000 }
        if keeps(first) && keeps(last) { return self }
        return trimmingCharacters(in: set)
    }
}
