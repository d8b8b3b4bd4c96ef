import Foundation

/// A fixed set of threads that run submitted work in order of arrival.
///
/// Long work leaves the event loop for these threads; the loop never blocks.
public final class WorkerPool: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopped = false
    private var threads: [Thread] = []
    private var running = 0

    /// Starts `count` threads.
    public init(threads count: Int, name: String = "lexstat-worker") {
        for i in 0..<max(1, count) {
            let t = Thread { [unowned self] in self.loop() }
            t.name = "\(name)-\(i)"
            t.stackSize = 1 << 20
            threads.append(t)
            condition.lock()
            running += 1
            condition.unlock()
            t.start()
        }
    }

    /// Work queued and not yet started.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
    }

    /// Queues work. Returns false once the pool is shut down.
    @discardableResult
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return false }
        queue.append(work)
        condition.signal()
        return true
    }

    /// Lets queued work finish, then stops the threads and waits for them.
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == queue.count && !stopped { condition.wait() }
            if head == queue.count && stopped {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let work = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            work()
        }
    }
}
