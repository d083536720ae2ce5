import type { Reporter, TestModule } from 'vitest/node'

/** Ends the run with one plain line, `vitest: N passed, N failed`, for CI logs. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
    }
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : ''
    console.log(`\nvitest: ${counts.passed} passed, ${counts.failed} failed${skipped}`)
  }
}
