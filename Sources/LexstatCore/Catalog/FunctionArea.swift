/// A function area of judicial administration, the first part of an indicator code.
public struct FunctionArea: Hashable, Sendable, Codable {
    /// Code, e.g. `review`.
    public var code: String
    /// Chinese name, e.g. `行政复议`.
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    /// The ten areas of the 法治政府建设 catalog, in the order bureaus report them.
    public static let all: [FunctionArea] = [
        FunctionArea(code: "coord", name: "统筹"),
        FunctionArea(code: "legis", name: "立法"),
        FunctionArea(code: "enforce", name: "执法监督"),
        FunctionArea(code: "review", name: "行政复议"),
        FunctionArea(code: "litig", name: "行政应诉"),
        FunctionArea(code: "service", name: "公共法律服务"),
        FunctionArea(code: "mediation", name: "人民调解"),
        FunctionArea(code: "correction", name: "社区矫正"),
        FunctionArea(code: "publicity", name: "普法"),
        FunctionArea(code: "team", name: "队伍建设"),
    ]

    /// The Chinese name of an area code, or the code itself when it is not one of ``all``.
    public static func name(of code: String) -> String {
        all.first { $0.code == code }?.name ?? code
    }

    /// The area a code or Chinese name means (`review`, `行政复议`), if any.
    public static func find(_ query: String) -> FunctionArea? {
        all.first { $0.code == query || $0.name == query }
    }
}
