import Essentials

/// Reading API answers that spell the same field differently across versions (`id`/`ID`/`webhookId`,
/// `createdAt`/`createdDate`/`createdDateTime`): the first present, non-null spelling wins.
extension JSON {
    func first(_ keys: [String]) -> JSON? {
        for key in keys {
            if let value = self[key], !value.isNull { return value }
        }
        return nil
    }

    /// A string member, also accepting a number written as text (`"year": 2022` read as "2022").
    func text(_ keys: [String]) -> String? {
        guard let value = first(keys) else { return nil }
        switch value {
        case let .string(text): return text
        case let .number(text): return text
        case let .bool(flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    func strings(_ keys: [String]) -> [String] {
        first(keys)?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
