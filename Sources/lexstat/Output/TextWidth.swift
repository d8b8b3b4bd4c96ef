/// Display width in a terminal: East Asian wide and full-width characters take two columns;
/// ANSI escape sequences (`ESC [ … m`, as in highlighted search snippets) take none.
func displayWidth(_ s: String) -> Int {
    var w = 0
    var inEscape = false
    for u in s.unicodeScalars {
        if inEscape {
            if (0x40...0x7E).contains(u.value) && u != "[" { inEscape = false }
            continue
        }
        switch u.value {
        case 0x1B: inEscape = true

        case 0x0300...0x036F, 0x200B...0x200F: continue
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            w += 2
        default:
            w += 1
        }
    }
    return w
}

/// Pads to a display width (left-aligned, or right-aligned for numbers).
func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - displayWidth(s)))
    return right ? fill + s : s + fill
}
