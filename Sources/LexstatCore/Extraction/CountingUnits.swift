/// The table of units a number may carry: counting units (件 人次 …), money,
/// percent, percentage points, and the time and order words that make a number
/// something other than a figure (年 月 日 周年 岁 届 级 …).
///
/// Extensible: build a table from `standard.entries` plus your own.
public struct CountingUnits: Sendable {
    /// What a unit makes of the number before it.
    public enum Role: String, Sendable, Hashable {
        /// A count: the unit is kept as written (`件`, `人次`).
        case count
        /// Money: the value is scaled to 元 and the unit is `元`.
        case money
        /// A percentage: unit `%`.
        case percent
        /// Percentage points: unit `pp`.
        case points
        /// A date, duration, age, edition or grade: not a figure.
        case notAFigure
    }

    public struct Entry: Sendable, Hashable {
        /// The unit as written, e.g. `人次`.
        public var text: String
        /// The unit reported: `text` for counts, `元`, `%`, `pp`, or the class word for `大` (`个`).
        public var unit: String
        public var role: Role
        /// Factor to base units (money only, e.g. 1 for 元).
        public var scale: Double

        public init(_ text: String, unit: String? = nil, role: Role = .count, scale: Double = 1) {
            self.text = text
            self.unit = unit ?? text
            self.role = role
            self.scale = scale
        }
    }

    public private(set) var entries: [Entry]
    /// Words that begin with a unit character but are nouns (`部门`, `项目`):
    /// the number before them has no unit.
    public private(set) var nouns: [String]

    private var byFirst: [UInt32: [(lit: [UInt32], entry: Entry)]] = [:]
    private var nounsByFirst: [UInt32: [[UInt32]]] = [:]

    public init(entries: [Entry], nouns: [String]) {
        self.entries = entries
        self.nouns = nouns
        for e in entries {
            let lit = Scalars.of(e.text)
            guard let f = lit.first else { continue }
            byFirst[f, default: []].append((lit, e))
        }
        for k in byFirst.keys { byFirst[k]?.sort { $0.lit.count > $1.lit.count } }
        for n in nouns {
            let lit = Scalars.of(n)
            guard let f = lit.first else { continue }
            nounsByFirst[f, default: []].append(lit)
        }
    }

    /// The longest unit at `i`, unless the characters there start a noun.
    func match(_ u: [UInt32], at i: Int) -> (entry: Entry, length: Int)? {
        guard i < u.count, let cands = byFirst[u[i]] else { return nil }
        for (lit, e) in cands where Scalars.has(u, lit, at: i) {
            if e.role == .count || e.role == .money, let ns = nounsByFirst[u[i]] {
                for n in ns where n.count > lit.count && Scalars.has(u, n, at: i) { return nil }
            }
            return (e, lit.count)
        }
        return nil
    }

    /// The units of work reports.
    public static let standard: CountingUnits = {
        var e: [Entry] = []
        let counts = ["件次", "人次", "场次", "户次", "批次", "家次", "篇次", "车次", "台次", "课时",
                      "个", "件", "人", "名", "位", "次", "家", "场", "期", "份", "条", "项", "篇", "户", "类", "部",
                      "起", "张", "所", "批", "支", "本", "册", "套", "台", "处", "座", "间", "宗", "笔", "块", "幅",
                      "首", "集", "堂", "节", "组", "队", "封", "单", "亩", "吨", "公里", "平方米", "字", "分",
                      "轮", "遍", "趟", "种", "门", "辆",
                     ]
        for c in counts { e.append(Entry(c)) }
        e.append(Entry("大", unit: "个"))                       // 三大平台: three platforms
        e.append(Entry("元", role: .money))
        e.append(Entry("%", unit: "%", role: .percent))
        e.append(Entry("％", unit: "%", role: .percent))
        e.append(Entry("个百分点", unit: "pp", role: .points))
        e.append(Entry("百分点", unit: "pp", role: .points))
        for t in ["年", "年度", "月", "月份", "日", "号", "天", "周年", "周岁", "岁", "小时", "个小时", "分钟", "秒",
                  "个月", "个工作日", "工作日", "周", "届", "级", "等", "倍", "时", "季度", "个季度", "世纪",
                  "代", "版", "号线", "星", "强", "佳", "连冠", "点"] {
            e.append(Entry(t, role: .notAFigure))
        }
        let nouns = ["部门", "部署", "部分", "场所", "场景", "场地", "家庭", "家属", "家长", "名单", "名称", "期间", "期限",
                     "项目", "条例", "条件", "条款", "起草", "起诉", "起点", "人民", "人员", "人大", "类型", "类别",
                     "所有", "所属", "所在", "所长", "所得", "台账", "处理", "处置", "处罚", "座谈", "支持", "支部", "支队",
                     "集中", "集体", "批准", "批复", "组织", "组建", "组长", "队伍", "间隔", "份额", "张贴", "本人",
                     "本地", "本级", "本年", "篇章", "户籍", "户外", "位于", "位置", "单位", "单独", "首次", "首批", "节点",
                     "大会", "大队", "大赛", "大学", "大厅", "大楼", "大型", "大于", "大约", "大幅", "大力", "大部分",
                     "大概", "大局", "大众", "大厦", "大道", "大街", "大桥", "分局", "分所", "分会", "分中心", "分别",
                     "分类", "分析", "分流", "分级", "分散", "分配", "分工", "分享", "分解", "分期", "分批", "分院",
                     "分庭", "分管", "分队", "分站", "字号", "轮流", "轮换", "门户", "门槛", "种类", "块状", "次数", "件数", "人数", "名列", "名次"]
        return CountingUnits(entries: e, nouns: nouns)
    }()
}
