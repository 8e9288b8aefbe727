import COpenSSL
import Essentials

/// `user:password` from a proxy URL, percent-decoded, as Basic credentials.
enum ProxyCredentials {
    static func base64(_ userInfo: String) -> String {
        let decoded = percentDecoded(Array(userInfo.utf8))
        var output = [UInt8](repeating: 0, count: (decoded.count + 2) / 3 * 4 + 1)
        let written = output.withUnsafeMutableBufferPointer { out in
            decoded.withUnsafeBufferPointer { input in
                EVP_EncodeBlock(out.baseAddress, input.baseAddress, Int32(input.count))
            }
        }
        return String(decoding: output.prefix(Int(max(0, written))), as: UTF8.self)
    }

    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = ASCIIHex.value(bytes[index + 1]), let low = ASCIIHex.value(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
