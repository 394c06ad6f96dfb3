import Testing
import Utilities

@Suite struct SortedSearchTests {
    @Test func lastIndexAtMostAValue() {
        let ticks = [0, 480, 480, 960, 1920]
        #expect(ticks.lastIndex(atMost: 0) { $0 } == 0)
        #expect(ticks.lastIndex(atMost: 479) { $0 } == 0)
        #expect(ticks.lastIndex(atMost: 480) { $0 } == 2)
        #expect(ticks.lastIndex(atMost: 1919) { $0 } == 3)
        #expect(ticks.lastIndex(atMost: 99_999) { $0 } == 4)
        #expect(ticks.lastIndex(atMost: -5) { $0 } == 0)
        #expect([7].lastIndex(atMost: 3) { $0 } == 0)
    }
}
