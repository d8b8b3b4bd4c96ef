import Foundation
import LexstatClient
import LexstatNet
import LexstatRPC
import LexstatWire
import XCTest

/// End to end: lexstatd as a process, clients over loopback. Every bad input
/// gets its documented status or a closed connection, and another client is
/// served normally throughout.
final class TransportTests: XCTestCase {
    static let health = "lexstat.v1.Lexstat/Health"
    static let sleep = "lexstat.testing.v1.Testing/Sleep"
    static let echo = "lexstat.testing.v1.Testing/Echo"

    func sleepBody(_ ms: Int) -> [UInt8] { sleepRequestBody(ms) }

    func testHealthOverTCPAndUnixSocket() async throws {
        let d = try DaemonProcess()
        await assertServed(d)
        let c = try LexstatClient(address: .unix(path: d.socketPath))
        let h = try await c.health()
        XCTAssertEqual(h.read { $0.status }, LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING)
        XCTAssertEqual(h.read { wireString($0.version) }, LexstatVersion.string)
        var st = stat()
        XCTAssertEqual(stat(d.socketPath, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o660, "the Unix socket is created with mode 0660")
        XCTAssertEqual(d.stop(), 0)
    }

    func testRandomBytesInsteadOfAPrefaceCloseTheConnection() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port, sendPreface: false)
        var junk = [UInt8](repeating: 0, count: 64)
        for i in junk.indices { junk[i] = UInt8.random(in: 0...255) }
        junk[0] = 0x00 // never 'L'
        raw.send(junk)
        await assertServed(d)
        let frames = raw.readFrames(timeout: 5)
        XCTAssertTrue(raw.closed, "the server closes a connection that does not speak Lexstat")
        let goAway = frames.first { $0.isGoAway }
        XCTAssertEqual(goAway?.status?.code, StatusCode.invalidArgument.rawValue)
        XCTAssertTrue(goAway?.status?.message.contains("preface") ?? false)
        await assertServed(d)
    }

    func testALengthOverTheLimitGetsResourceExhaustedAndClose() async throws {
        let d = try DaemonProcess(["--max-frame-bytes", "65537"])
        let raw = try RawConnection(port: d.port)
        var h = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN))
        lx_frame_put_header(&h, UInt8(LX_FRAME_REQUEST.rawValue), 0, 1, 70000)
        raw.send(h)
        let frames = raw.readFrames(timeout: 5)
        let goAway = frames.first { $0.isGoAway }
        XCTAssertEqual(goAway?.status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(goAway?.status?.message, "frame of 70000 bytes exceeds the limit of 65537 bytes")
        XCTAssertTrue(raw.closed)
        await assertServed(d)
    }

    func testAFrameBegunAndNeverFinishedIsClosedByTheFrameTimer() async throws {
        let d = try DaemonProcess(["--frame-timeout-ms", "400"])
        let raw = try RawConnection(port: d.port)
        let req = Wire.request(callId: 1, method: TransportTests.health)
        let start = Date()
        raw.send(Array(req.prefix(7)))
        await assertServed(d)
        let frames = raw.readFrames(timeout: 5)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(raw.closed)
        XCTAssertEqual(frames.first { $0.isGoAway }?.status?.code, StatusCode.deadlineExceeded.rawValue)
        XCTAssertGreaterThanOrEqual(elapsed, 0.35)
        XCTAssertLessThan(elapsed, 2.0, "closed within the frame timeout (plus the timer's granularity)")
        await assertServed(d)
    }

    func testGarbageOnThePortIsClosedWithinTheFrameTimeout() async throws {
        let d = try DaemonProcess(["--frame-timeout-ms", "300"])
        // Three bytes that could be the start of a preface, then nothing.
        let raw = try RawConnection(port: d.port, sendPreface: false)
        raw.send([0x4c, 0x58, 0x53])
        XCTAssertTrue(raw.waitClosed(timeout: 3))
        await assertServed(d)
    }

    func testAnUnknownMethodIsUnimplemented() async throws {
        let d = try DaemonProcess()
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        do {
            _ = try await c.call("lexstat.v1.Lexstat/NoSuchThing", [])
            XCTFail("expected UNIMPLEMENTED")
        } catch {
            XCTAssertEqual(error.code, .unimplemented)
            XCTAssertTrue(error.message.contains("lexstat.v1.Lexstat/NoSuchThing"), error.message)
        }
        await assertServed(d)
    }

    func testAMalformedProtobufBodyIsInvalidArgument() async throws {
        let d = try DaemonProcess()
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        do {
            _ = try await c.call(TransportTests.health, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])
            XCTFail("expected INVALID_ARGUMENT")
        } catch {
            XCTAssertEqual(error.code, .invalidArgument)
            XCTAssertEqual(error.message, "request body is not a valid lexstat.v1.HealthRequest message")
        }
        // The same connection goes on working.
        let ok = try await c.call(TransportTests.health, [])
        XCTAssertNotNil(ok)
        await assertServed(d)
    }

    func testAMalformedRequestHeaderIsInvalidArgumentAndTheConnectionLives() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        raw.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, callId: 3, payload: [0, 0, 0, 0, 0, 0]))
        raw.send(Wire.request(callId: 4, method: TransportTests.health))
        let frames = raw.readFrames(count: 2, timeout: 5).filter(\.isResponse)
        XCTAssertEqual(frames.first { $0.callId == 3 }?.status?.code, StatusCode.invalidArgument.rawValue)
        XCTAssertEqual(frames.first { $0.callId == 4 }?.status?.code, 0)
        XCTAssertFalse(raw.closed)
    }

    func testAOneMillisecondDeadlineOnASlowCall() async throws {
        let d = try DaemonProcess()
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        let start = ContinuousClock.now
        do {
            _ = try await c.call(TransportTests.sleep, sleepBody(3000), timeout: .milliseconds(1))
            XCTFail("expected DEADLINE_EXCEEDED")
        } catch {
            XCTAssertEqual(error.code, .deadlineExceeded)
            XCTAssertEqual(error.message, "deadline of 1 ms exceeded", "the server answers, not the client's fallback")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .milliseconds(1000))
        await assertServed(d)
    }

    func testTenThousandCallsPipelinedOnOneConnection() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10_000 * 60)
        for id in UInt32(1)...10_000 {
            bytes += Wire.request(callId: id, method: id % 2 == 0 ? TransportTests.health : TransportTests.echo)
        }
        let all = bytes
        let sender = Thread { raw.send(all) }
        sender.start()
        let frames = raw.readFrames(count: 10_000, timeout: 30)
        XCTAssertEqual(frames.count, 10_000)
        XCTAssertTrue(frames.allSatisfy { $0.isResponse && $0.status?.code == 0 })
        XCTAssertEqual(Set(frames.map(\.callId)).count, 10_000, "every call answered once")
        XCTAssertFalse(raw.closed)
        await assertServed(d)
    }

    func testAClientThatNeverReadsItsRepliesIsThrottledThenClosed() async throws {
        let limit = 65536
        let d = try DaemonProcess(["--max-output-bytes", String(limit), "--stall-timeout-ms", "800"])
        let methods = "lexstat.v1.Lexstat/ListMethods"
        // The size of one answer, from a client that reads.
        let probe = try RawConnection(port: d.port)
        probe.send(Wire.request(callId: 1, method: methods))
        let answer = Int(LX_FRAME_HEADER_LEN) + (probe.readFrames(count: 1, timeout: 5).first?.payload.count ?? 0)
        XCTAssertGreaterThan(answer, 256, "ListMethods answers with more than a header")
        let raw = try RawConnection(port: d.port)
        var rcv: Int32 = 4096
        setsockopt(raw.fd, SOL_SOCKET, SO_RCVBUF, &rcv, socklen_t(MemoryLayout<Int32>.size))
        var batch: [UInt8] = []
        for id in UInt32(1)...2000 { batch += Wire.request(callId: id, method: methods) }
        // Keep sending until the server stops reading from us (our sends would block).
        var sent = 0
        var nextId: UInt32 = 2001
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            let n = raw.sendNonBlocking(batch)
            if n < 0 { break }
            sent += n
            batch = []
            for _ in 0..<200 { batch += Wire.request(callId: nextId, method: methods); nextId += 1 }
        }
        XCTAssertGreaterThan(sent, 0)
        await assertServed(d)
        let line = d.waitForLine(containing: "not reading its answers", timeout: 10)
        XCTAssertNotNil(line, "the server closes a connection whose answers stay unread: \(d.log)")
        // "…: not reading its answers (N bytes unsent for 800 ms); closing"
        let unsent = line.flatMap { l in
            l.range(of: "not reading its answers (").flatMap { Int(l[$0.upperBound...].prefix { $0.isNumber }) }
        }
        XCTAssertNotNil(unsent, line ?? "")
        if let unsent {
            XCTAssertGreaterThan(unsent, limit, "closed for answers over the limit")
            XCTAssertLessThan(unsent, 2 * limit + answer,
                              "the limit holds: the server stops handling requests once over it, not after the whole read")
        }
        XCTAssertTrue(raw.waitClosed(timeout: 5), "the connection is closed (PROTOCOL.md §7, --stall-timeout-ms)")
        await assertServed(d)
    }

    func testRequestsHeldBackByTheOutputLimitAreAnsweredOnceTheClientReads() async throws {
        let d = try DaemonProcess(["--max-output-bytes", "65536"])
        // Over a Unix socket the kernel holds a fixed ~200 KB of answers, far less than 300 of them.
        let raw = try RawConnection(unixPath: d.socketPath)
        let methods = "lexstat.v1.Lexstat/ListMethods"
        var bytes: [UInt8] = []
        for id in UInt32(1)...300 { bytes += Wire.request(callId: id, method: methods) }
        XCTAssertLessThan(bytes.count, 16 * 1024, "one read of the server's takes every request")
        // Every request is sent before reading anything: once the server stops at its limit,
        // the requests it holds back get no further bytes to wake them up.
        raw.send(bytes)
        try await Task.sleep(for: .milliseconds(500))
        let frames = raw.readFrames(count: 300, timeout: 10)
        XCTAssertEqual(frames.count, 300, "every request answered, the ones held back included")
        XCTAssertTrue(frames.allSatisfy { $0.isResponse && $0.status?.code == 0 })
        XCTAssertEqual(Set(frames.map(\.callId)).count, 300)
        XCTAssertFalse(raw.closed)
        await assertServed(d)
    }

    func testMoreCallsInFlightThanTheLimitAreRefused() async throws {
        let d = try DaemonProcess(["--max-calls-per-connection", "2"])
        let raw = try RawConnection(port: d.port)
        for id in UInt32(1)...3 { raw.send(Wire.request(callId: id, method: TransportTests.sleep, body: sleepBody(400))) }
        let frames = raw.readFrames(count: 3, timeout: 5).filter(\.isResponse)
        XCTAssertEqual(frames.first?.callId, 3, "the refusal comes first, before the slow answers")
        XCTAssertEqual(frames.first?.status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(frames.first?.status?.message, "too many calls in flight on this connection (limit 2)")
        XCTAssertEqual(frames.filter { $0.status?.code == 0 }.count, 2)
        await assertServed(d)
    }

    func testConnectionsOverTheLimitAreRefusedCleanly() async throws {
        let d = try DaemonProcess(["--max-connections", "2"])
        let a = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
        let b = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
        _ = try await a.health()
        _ = try await b.health()
        let extra = try RawConnection(port: d.port)
        let frames = extra.readFrames(timeout: 5)
        XCTAssertTrue(extra.closed)
        XCTAssertEqual(frames.first { $0.isGoAway }?.status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(frames.first { $0.isGoAway }?.status?.message, "too many connections (limit 2)")
        _ = try await a.health()
        _ = try await b.health()
    }

    /// A connection limit above what the descriptor limit allows is lowered to
    /// what fits, and said: past RLIMIT_NOFILE accept() fails and a client is
    /// reset with no GOAWAY and no log line.
    func testConnectionsAreFittedToTheDescriptorLimit() throws {
        let d = try DaemonProcess(["--max-connections", "1024"], launcher: ["/usr/bin/prlimit", "--nofile=140:140", "--"])
        XCTAssertNotNil(d.waitForLine(containing: "serving at most 12 connections", timeout: 10), d.log)
        let held = try (0..<12).map { _ in try RawConnection(port: d.port) }
        for c in held {
            c.send(Wire.request(callId: 1, method: TransportTests.health))
            XCTAssertEqual(c.readFrames(count: 1, timeout: 5).first?.status?.code, 0)
        }
        let extra = try RawConnection(port: d.port)
        let frames = extra.readFrames(timeout: 5)
        XCTAssertTrue(extra.closed)
        XCTAssertEqual(frames.first { $0.isGoAway }?.status?.message, "too many connections (limit 12)")
    }

    func testCallsAnsweredInAnyOrder() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        raw.send(Wire.request(callId: 1, method: TransportTests.sleep, body: sleepBody(300)))
        raw.send(Wire.request(callId: 2, method: TransportTests.health))
        let frames = raw.readFrames(count: 2, timeout: 5)
        XCTAssertEqual(frames.map(\.callId), [2, 1])
    }

    func testCancelledCallsAreNotAnswered() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        raw.send(Wire.request(callId: 1, method: TransportTests.sleep, body: sleepBody(600)))
        raw.send(Wire.frame(type: LX_FRAME_CANCEL.rawValue, callId: 1, payload: []))
        raw.send(Wire.request(callId: 2, method: TransportTests.health))
        let frames = raw.readFrames(timeout: 1.2)
        XCTAssertEqual(frames.map(\.callId), [2])
    }

    func testPingIsAcknowledged() async throws {
        let d = try DaemonProcess()
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        try await c.ping()
        let raw = try RawConnection(port: d.port)
        raw.send(Wire.frame(type: LX_FRAME_PING.rawValue, callId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8]))
        let f = raw.readFrames(count: 1, timeout: 5).first
        XCTAssertEqual(f?.type, UInt8(LX_FRAME_PING.rawValue))
        XCTAssertEqual(f?.flags, UInt8(LX_FLAG_ACK))
        XCTAssertEqual(f?.payload, [1, 2, 3, 4, 5, 6, 7, 8])
    }

    func testProtocolViolationsGetGoAwayInternal() async throws {
        let d = try DaemonProcess()
        // A frame type only servers send.
        let a = try RawConnection(port: d.port)
        a.send(Wire.frame(type: LX_FRAME_RESPONSE.rawValue, callId: 1, payload: [0, 0, 0, 0]))
        XCTAssertEqual(a.readFrames(timeout: 5).first { $0.isGoAway }?.status?.code, StatusCode.internalError.rawValue)
        XCTAssertTrue(a.closed)
        // A call id already in flight.
        let b = try RawConnection(port: d.port)
        b.send(Wire.request(callId: 5, method: TransportTests.sleep, body: sleepBody(300)))
        b.send(Wire.request(callId: 5, method: TransportTests.health))
        let g = b.readFrames(timeout: 5).first { $0.isGoAway }
        XCTAssertEqual(g?.status?.message, "call id 5 is already in flight")
        // An unknown frame type is ignored, for later extensions.
        let c = try RawConnection(port: d.port)
        c.send(Wire.frame(type: 0x42, callId: 0, payload: [9, 9]))
        c.send(Wire.request(callId: 1, method: TransportTests.health))
        XCTAssertEqual(c.readFrames(count: 1, timeout: 5).first?.status?.code, 0)
        await assertServed(d)
    }

    // MARK: requests in several frames (PROTOCOL.md §3)

    static let more = UInt8(LX_FLAG_MORE)
    static let requestData = LX_FRAME_REQUEST_DATA.rawValue

    /// A request payload (header and body) without its frame header.
    func requestPayload(method: String, body: [UInt8], timeoutMs: UInt32 = 0) -> [UInt8] {
        Array(Wire.request(callId: 1, method: method, timeoutMs: timeoutMs, body: body).dropFirst(Int(LX_FRAME_HEADER_LEN)))
    }

    func testARequestInThreePartsIsAnswered() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        let body = echoRequestBody(3000)
        let p = requestPayload(method: TransportTests.echo, body: body)
        raw.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<1000])))
        raw.send(Wire.frame(type: TransportTests.requestData, flags: TransportTests.more, callId: 1, payload: Array(p[1000..<2000])))
        // Another call between the parts is served.
        raw.send(Wire.request(callId: 2, method: TransportTests.health))
        raw.send(Wire.frame(type: TransportTests.requestData, callId: 1, payload: Array(p[2000...])))
        let frames = raw.readFrames(count: 2, timeout: 5)
        let r1 = frames.first { $0.callId == 1 }
        XCTAssertEqual(r1?.status?.code, 0, "\(String(describing: r1?.status))")
        XCTAssertEqual(r1.map { Array($0.payload.dropFirst(4)) }, body, "Echo answers with the whole request, joined")
        XCTAssertEqual(frames.first { $0.callId == 2 }?.status?.code, 0)
        XCTAssertFalse(raw.closed)
        await assertServed(d)
    }

    func testARequestOverTheRequestLimitGetsResourceExhaustedAndTheConnectionLives() async throws {
        let d = try DaemonProcess(["--max-request-bytes", "65537", "--max-report-bytes", "1"])
        let raw = try RawConnection(port: d.port)
        let p = requestPayload(method: TransportTests.echo, body: echoRequestBody(100_000))
        raw.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<30_000])))
        raw.send(Wire.frame(type: TransportTests.requestData, flags: TransportTests.more, callId: 1, payload: Array(p[30_000..<60_000])))
        raw.send(Wire.frame(type: TransportTests.requestData, flags: TransportTests.more, callId: 1, payload: Array(p[60_000..<90_000])))
        // Answered as soon as the limit is passed, before the last part.
        let early = raw.readFrames(count: 1, timeout: 5).first
        XCTAssertEqual(early?.callId, 1)
        XCTAssertEqual(early?.status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(early?.status?.message, "request of more than 65537 bytes exceeds the request limit")
        // The rest is discarded; the connection goes on.
        raw.send(Wire.frame(type: TransportTests.requestData, callId: 1, payload: Array(p[90_000...])))
        raw.send(Wire.request(callId: 2, method: TransportTests.health))
        let frames = raw.readFrames(count: 1, timeout: 5)
        XCTAssertEqual(frames.map(\.callId), [2])
        XCTAssertEqual(frames.first?.status?.code, 0)
        // A single frame over the request limit is refused the same way.
        raw.send(Wire.request(callId: 3, method: TransportTests.echo, body: echoRequestBody(66_000)))
        let single = raw.readFrames(count: 1, timeout: 5).first
        XCTAssertEqual(single?.status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertFalse(raw.closed)
        await assertServed(d)
    }

    func testRequestDataForACallNotBeingAssembledGetsGoAwayInternal() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        raw.send(Wire.frame(type: TransportTests.requestData, callId: 7, payload: [1, 2, 3]))
        let g = raw.readFrames(timeout: 5).first { $0.isGoAway }
        XCTAssertEqual(g?.status?.code, StatusCode.internalError.rawValue)
        XCTAssertEqual(g?.status?.message, "REQUEST_DATA for call 7, which has no request being assembled")
        XCTAssertTrue(raw.closed)
        await assertServed(d)
    }

    func testASecondRequestInPartsOrAnotherFrameForTheAssemblingCallGetsGoAwayInternal() async throws {
        let d = try DaemonProcess()
        let p = requestPayload(method: TransportTests.echo, body: echoRequestBody(3000))
        let a = try RawConnection(port: d.port)
        a.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<1000])))
        a.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 3, payload: Array(p[..<1000])))
        let g = a.readFrames(timeout: 5).first { $0.isGoAway }
        XCTAssertEqual(g?.status?.code, StatusCode.internalError.rawValue)
        XCTAssertEqual(g?.status?.message,
                       "call 3 began a request in several frames while call 1 is still being assembled (one at a time per connection)")
        XCTAssertTrue(a.closed)
        let b = try RawConnection(port: d.port)
        b.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<1000])))
        b.send(Wire.request(callId: 1, method: TransportTests.health))
        let h = b.readFrames(timeout: 5).first { $0.isGoAway }
        XCTAssertEqual(h?.status?.code, StatusCode.internalError.rawValue)
        XCTAssertEqual(h?.status?.message,
                       "frame type 1 for call 1 while its request is being assembled (only REQUEST_DATA or CANCEL may follow)")
        XCTAssertTrue(b.closed)
        await assertServed(d)
    }

    func testARequestInPartsBegunAndNeverFinishedIsClosedByTheTimer() async throws {
        let d = try DaemonProcess(["--frame-timeout-ms", "600"])
        let raw = try RawConnection(port: d.port)
        let p = requestPayload(method: TransportTests.echo, body: echoRequestBody(3000))
        let start = Date()
        raw.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<1000])))
        // Each frame is whole, so the frame timer never runs: the request's own limit closes it.
        try await Task.sleep(for: .milliseconds(300))
        raw.send(Wire.frame(type: TransportTests.requestData, flags: TransportTests.more, callId: 1, payload: Array(p[1000..<2000])))
        let frames = raw.readFrames(timeout: 5)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(raw.closed)
        let g = frames.first { $0.isGoAway }
        XCTAssertEqual(g?.status?.code, StatusCode.deadlineExceeded.rawValue)
        XCTAssertEqual(g?.status?.message, "request in several frames not completed within 600 ms")
        XCTAssertGreaterThanOrEqual(elapsed, 0.55)
        XCTAssertLessThan(elapsed, 2.5, "closed within the limit (plus the timer's granularity)")
        await assertServed(d)
    }

    func testCancelMidAssemblyDropsTheRequest() async throws {
        let d = try DaemonProcess()
        let raw = try RawConnection(port: d.port)
        let p = requestPayload(method: TransportTests.echo, body: echoRequestBody(3000))
        raw.send(Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: TransportTests.more, callId: 1, payload: Array(p[..<1000])))
        raw.send(Wire.frame(type: LX_FRAME_CANCEL.rawValue, callId: 1, payload: []))
        // The call is over: its id may be used again, and nothing is answered for the cancelled one.
        raw.send(Wire.request(callId: 1, method: TransportTests.health))
        let frames = raw.readFrames(timeout: 1.0)
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames.first?.callId, 1)
        XCTAssertEqual(frames.first?.status?.code, 0)
        XCTAssertFalse(raw.closed)
        // More parts for the cancelled request are a protocol error.
        raw.send(Wire.frame(type: TransportTests.requestData, callId: 1, payload: Array(p[1000...])))
        XCTAssertEqual(raw.readFrames(timeout: 5).first { $0.isGoAway }?.status?.code, StatusCode.internalError.rawValue)
        await assertServed(d)
    }

    func testTheClientSendsALargeRequestInParts() async throws {
        // Frames of 16 KiB: a 100 kB request must go in parts. Its `service` is over the
        // handler's 4096-byte rule, which names the length it decoded: the whole request arrived.
        let d = try DaemonProcess(["--max-frame-bytes", "16384"])
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port), maxSendFrameBytes: 16384)
        do {
            _ = try await c.call(TransportTests.echo, echoRequestBody(100_000))
            XCTFail("expected INVALID_ARGUMENT for the long service field")
        } catch {
            XCTAssertEqual(error.code, .invalidArgument)
            XCTAssertEqual(error.message, "service: 100000 bytes, at most 4096")
        }
        // The connection is unharmed: the request arrived whole, in parts the server accepted.
        XCTAssertNil(c.goAway)
        let ok = try await c.call(TransportTests.echo, echoRequestBody(10))
        XCTAssertEqual(ok, echoRequestBody(10))
        await assertServed(d)
    }

    func testIdleConnectionsAreClosedWithGoAway() async throws {
        let d = try DaemonProcess(["--idle-timeout-ms", "300"])
        let raw = try RawConnection(port: d.port)
        let frames = raw.readFrames(timeout: 3)
        XCTAssertTrue(raw.closed)
        XCTAssertEqual(frames.first { $0.isGoAway }?.status?.code, 0)
    }

    func testDrainFinishesCallsInFlightThenExitsZero() async throws {
        let d = try DaemonProcess()
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        let body = sleepBody(500)
        async let slow = c.call(TransportTests.sleep, body, timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(150))
        kill(d.process.processIdentifier, SIGTERM)
        let answer = try await slow
        XCTAssertNotNil(answer, "the call in flight finished")
        d.process.waitUntilExit()
        XCTAssertEqual(d.process.terminationStatus, 0)
        XCTAssertNotNil(d.waitForLine(containing: "draining: 1 connection, 1 call in flight", timeout: 1), d.log)
        XCTAssertThrowsError(try RawConnection(port: d.port), "no longer accepting")
        XCTAssertFalse(FileManager.default.fileExists(atPath: d.socketPath), "the Unix socket is removed")
    }

    func testManyConcurrentCallsThroughTheClientLibrary() async throws {
        let d = try DaemonProcess()
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
        try await withThrowingTaskGroup(of: Void.self) { g in
            for _ in 0..<200 {
                g.addTask { _ = try await c.health() }
            }
            try await g.waitForAll()
        }
    }
}

/// The body of a Testing/Sleep call for `ms` milliseconds.
func sleepRequestBody(_ ms: Int) -> [UInt8] {
    let arena = WireArena()
    var r = Lexstat__V1__HealthRequest.make()
    r.service = arena.string(String(ms))
    return withExtendedLifetime(arena) { r.encoded() }
}

/// A HealthRequest whose `service` is n bytes of text (Echo answers with it).
func echoRequestBody(_ n: Int) -> [UInt8] {
    let arena = WireArena()
    var r = Lexstat__V1__HealthRequest.make()
    r.service = arena.string(String(repeating: "x", count: n))
    return withExtendedLifetime(arena) { r.encoded() }
}

/// A second, well-behaved client must get SERVING.
func assertServed(_ d: DaemonProcess, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port), timeout: .seconds(5))
        defer { c.connection.close() }
        let h = try await c.health()
        XCTAssertEqual(h.read { $0.status }, LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING, file: file, line: line)
    } catch {
        XCTFail("a well-behaved client was not served: \(error)", file: file, line: line)
    }
}
