import Foundation
import LexstatService
import Logging
import XCTest

/// `RPCServer.every` (lx_server_every): what drives the systemd watchdog.
final class OpsLoopTickTests: XCTestCase {
    final class Recorder: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var ticks = 0
        private var threads: Set<UInt> = []

        func tick() {
            lock.lock()
            ticks += 1
            threads.insert(UInt(pthread_self())) // pthread_t is an integer on Linux
            lock.unlock()
        }

        var count: Int { lock.lock(); defer { lock.unlock() }; return ticks }
        var threadCount: Int { lock.lock(); defer { lock.unlock() }; return threads.count }
    }

    func testTheTickRunsOnTheLoopThreadAndNeverKeepsADrainedServerAlive() throws {
        let server = try RPCServer(table: MethodTableBuilder().build(), workers: 2, logger: Logger(label: "test"))
        try server.listen(.tcp(host: "127.0.0.1", port: 0))
        let recorder = Recorder()
        server.every(milliseconds: 5) { recorder.tick() }
        let stopped = DispatchSemaphore(value: 0)
        let loop = Thread {
            server.run()
            stopped.signal()
        }
        loop.start()

        let end = Date().addingTimeInterval(5)
        while recorder.count < 5 && Date() < end { Thread.sleep(forTimeInterval: 0.005) }
        XCTAssertGreaterThanOrEqual(recorder.count, 5, "the tick runs every 5 ms")
        XCTAssertEqual(recorder.threadCount, 1, "always on the one loop thread")

        server.drain()
        XCTAssertEqual(stopped.wait(timeout: .now() + 5), .success, "a drained server stops though its tick is set")
        let after = recorder.count
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(recorder.count, after, "no tick once the loop has stopped")
    }
}
