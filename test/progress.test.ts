/**
 * The progress bar for long cells (lib/charts/progress.ts): silent outside a kernel, one output
 * replaced in place inside one. The kernel's display writer is stood in for by a module placed
 * in Node's module cache under tslab's path, which is where lib/charts/display.ts looks for it.
 * The real kernel is exercised by test/notebookHarness.test.ts ("progress" fixture).
 */
import { expect } from "chai";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError } from "../lib/errors.js";
import { progress, progressText } from "../lib/charts/progress.js";

interface Sent {
  content: { data: Record<string, unknown>; transient: Record<string, unknown> };
  update: boolean;
}

/** Installs a fake tslab display writer for the duration of `fn`; returns what it was sent. */
function withFakeKernel(fn: () => void): Sent[] {
  const cache = createRequire(path.join(process.cwd(), "noop.js")).cache;
  const key = path.join(process.cwd(), "node_modules", "tslab", "dist", "jupyter.js");
  const sent: Sent[] = [];
  const writer = (content: Sent["content"], update: boolean) => sent.push({ content, update });
  cache[key] = { exports: { lastWriteDisplayData: writer } } as unknown as NodeJS.Module;
  try {
    fn();
  } finally {
    delete cache[key];
  }
  return sent;
}

describe("progress bar for long cells (lib/charts/progress.ts)", () => {
  it("outside a kernel shows nothing and still counts", () => {
    const bar = progress(3, "runs");
    bar.tick();
    bar.tick(2);
    bar.done();
    expect(bar.count).to.equal(3);
  });

  it("rejects a total that is not a whole number ≥ 0, an empty label and a bad step", () => {
    expect(() => progress(-1, "runs")).to.throw(ConfigError, "progress.total");
    expect(() => progress(2.5, "runs")).to.throw(ConfigError, "progress.total");
    expect(() => progress(3, "  ")).to.throw(ConfigError, "progress.label");
    expect(() => progress(3, "runs").tick(Number.NaN)).to.throw(ConfigError, "progress.tick");
  });

  it("draws a bar with percentage and count, and a check mark once finished", () => {
    expect(progressText("runs", 6, 10)).to.match(/^… runs {2}█{14}░{10} {2}60 % \(6\/10\)$/);
    expect(progressText("runs", 10, 10, true)).to.match(/^✓ runs {2}█{24} 100 % \(10\/10\)$/);
    expect(progressText("runs", 12, 10)).to.contain("(10/10)");
  });

  it("in a kernel: one display, then updates of it in place, at most one per whole percent", () => {
    let bar = progress(1, "x");
    const sent = withFakeKernel(() => {
      bar = progress(10_000, "seeds");
      for (let i = 0; i < 10_000; i++) bar.tick();
    });
    expect(sent[0].update).to.equal(false);
    expect(sent.slice(1).every((s) => s.update)).to.equal(true);
    const ids = new Set(sent.map((s) => s.content.transient.display_id));
    expect(ids.size).to.equal(1);
    expect(sent.length).to.equal(101); // 0 %, then 1 % … 100 %
    expect(sent.at(-1)!.content.data["text/plain"]).to.match(/^✓ seeds .* 100 % \(10000\/10000\)$/);
    expect(bar.count).to.equal(10_000);
  });

  it("in a kernel: done() after a loop that ends early marks it finished; two bars get two ids", () => {
    const sent = withFakeKernel(() => {
      const a = progress(10, "a");
      a.tick(3);
      a.done();
      a.tick(); // ignored once finished
      progress(5, "b");
    });
    const texts = sent.map((s) => String(s.content.data["text/plain"]));
    expect(texts).to.have.length(4);
    expect(texts[2]).to.match(/^✓ a .* 30 % \(3\/10\)$/);
    expect(sent[3].content.transient.display_id).to.not.equal(sent[0].content.transient.display_id);
  });
});
