import XCTest
@testable import LexstatCore

final class ObservationQueryTests: XCTestCase {
    func testFiltersByIndicatorRegionDescendantsPeriodAndKind() throws {
        let s = try StoreFixture.loaded()
        XCTAssertEqual(try s.observations().total, StoreFixture.csvRows)
        XCTAssertEqual(try s.observations(region: "重庆市").total, 1)
        XCTAssertEqual(try s.observations(region: "重庆市", descendants: true).total, 18)
        XCTAssertEqual(try s.observations(indicator: "行政诉讼败诉率").total, 5)
        XCTAssertEqual(try s.observations(kind: .target).total, 3)
        // Periods must lie wholly inside the range: 2023Q1 is in 2023, 2024Q1 is not.
        let jb = try s.observations(indicator: "review.cases_received", region: "重庆市江北区", from: "2023", to: "2023")
        XCTAssertEqual(jb.observations.map(\.period.text), ["2023", "2023Q1"])
        XCTAssertEqual(try s.observations(indicator: "review.cases_received", from: "2024Q2").total, 2)
    }

    func testPagesWithOpaqueTokens() throws {
        let s = try StoreFixture.loaded()
        var seen: [Int64] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try s.observations(pageSize: 7, pageToken: token)
            XCTAssertEqual(page.total, StoreFixture.csvRows)
            seen += page.observations.map(\.id)
            token = page.nextPageToken.isEmpty ? nil : page.nextPageToken
            pages += 1
        } while token != nil
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.count, StoreFixture.csvRows)
        XCTAssertEqual(Set(seen).count, StoreFixture.csvRows)
        XCTAssertEqual(seen, seen.sorted())
    }

    func testRejectsBadPagingAndPeriods() throws {
        let s = try StoreFixture.loaded()
        func field(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "no error" } catch {
                guard case .invalidArgument(let m) = error as? LexstatError else { return "\(error)" }
                return String(m.prefix { $0 != ":" })
            }
        }
        XCTAssertEqual(field { try s.observations(pageSize: 10_001) }, "page_size")
        XCTAssertEqual(field { try s.observations(pageSize: -1) }, "page_size")
        XCTAssertEqual(field { try s.observations(pageToken: "garbage!") }, "page_token")
        XCTAssertEqual(field { try s.observations(from: "2024Q5") }, "from")
        XCTAssertEqual(field { try s.observations(to: "2101") }, "to")
        XCTAssertEqual(field { try s.observations(from: "cumulative") }, "from")
        let first = try s.observations(indicator: "litig.loss_rate", pageSize: 2)
        XCTAssertEqual(field { try s.observations(indicator: "service.legal_aid_cases", pageToken: first.nextPageToken) }, "page_token")
        XCTAssertEqual(try s.observations(pageSize: 10_000).observations.count, StoreFixture.csvRows)
    }
}
