import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import LexstatCore

/// Shared set-up for store tests: the bundled regions (parsed once) and a
/// fresh database file per test in a temporary folder.
enum StoreFixture {
    static let regions: RegionDirectory = {
        do { return try RegionDirectory.bundled() } catch { fatalError("regions.tsv: \(error)") }
    }()

    /// This test process's scratch folder, `lexstat-tests-<pid>`. Folders left by
    /// test processes that are no longer running are removed on first use.
    static let root: URL = {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("lexstat-tests-") {
            if let pid = Int32(name.dropFirst("lexstat-tests-".count)), kill(pid, 0) != 0 {
                try? fm.removeItem(at: tmp.appendingPathComponent(name))
            }
        }
        return tmp.appendingPathComponent("lexstat-tests-\(getpid())")
    }()

    /// A fresh, empty database path.
    static func freshPath() -> String {
        let dir = root.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("test.db").path
    }

    static func open(_ path: String = freshPath()) throws -> LexstatStore {
        try LexstatStore(path: path, regions: regions)
    }

    /// A store with ``csv`` imported.
    static func loaded() throws -> LexstatStore {
        let s = try open()
        XCTAssertEqual(try s.importObservations(csv: csv, source: "fixture.csv").imported, csvRows)
        return s
    }

    /// The fixture figures (made up for tests).
    ///
    /// - service.legal_aid_cases 2023 in four 重庆 districts, 江北 and 渝中 tied;
    ///   重庆市's own figure; two 成都 districts (成都市 itself silent).
    /// - litig.loss_rate 2023 (lower is better), 渝北 and 南岸 tied at the best.
    /// - review.cases_received for 江北: 2022, 2023 as years; 2023Q1; 2024 by three quarters only.
    /// - targets of 江北 for 2023, and one of 渝北 without an actual.
    static let csv = """
        region,indicator,period,value,unit,bound,kind,source
        重庆市江北区,service.legal_aid_cases,2023,1200,件,exact,actual,fixture
        500112,service.legal_aid_cases,2023,1500,件,,,fixture
        重庆市渝中区,service.legal_aid_cases,2023,1200,件,,,fixture
        重庆市南岸区,service.legal_aid_cases,2023,900,件,,,
        重庆市,service.legal_aid_cases,2023,40000,件,at_least,actual,fixture
        成都市锦江区,service.legal_aid_cases,2023,300,件,,,fixture
        成都市青羊区,service.legal_aid_cases,2023,200,件,,,fixture
        重庆市江北区,litig.loss_rate,2023,5.2,%,,,fixture
        重庆市渝北区,litig.loss_rate,2023,3.1,%,,,fixture
        重庆市渝中区,litig.loss_rate,2023,7.4,%,,,fixture
        重庆市南岸区,litig.loss_rate,2023,3.1,%,,,fixture
        重庆市江北区,review.cases_received,2022,120,件,,,fixture
        重庆市江北区,review.cases_received,2023,150,件,,,fixture
        重庆市江北区,review.cases_received,2023Q1,25,件,,,fixture
        重庆市江北区,review.cases_received,2024Q1,30,件,,,fixture
        重庆市江北区,review.cases_received,2024Q2,40,件,,,fixture
        重庆市江北区,review.cases_received,2024Q3,35,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2023,1000,件,at_least,target,fixture plan
        重庆市江北区,litig.loss_rate,2023,5,%,at_most,target,fixture plan
        重庆市渝北区,review.cases_received,2023,200,件,,target,fixture plan
        """
    static let csvRows = 20
}
