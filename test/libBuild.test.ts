/**
 * The compiled library the kernel loads (scripts/build-lib.cjs) is rebuilt exactly when lib/
 * changes: a scratch project with a two-file lib/ is built with the project's own TypeScript,
 * edited (keeping the old modification time, as a checkout or copy may), broken and shrunk.
 */
import { expect } from "chai";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
/** Every source's modification time, before and after an edit: only the content tells them apart. */
const FIXED_TIME = new Date("2024-01-01T00:00:00Z");

interface BuildResult {
  dir?: string;
  built?: boolean;
  error?: string;
}
const libBuild = require("../scripts/build-lib.cjs") as {
  ensureLibBuild(opts: { root: string; log?: (m: string) => void }): BuildResult;
  currentBuild(root: string): { hash: string; dir: string; built: boolean };
};

describe("library build for the kernel (scripts/build-lib.cjs)", function () {
  this.timeout(240_000);
  let root = "";
  const lib = (rel: string) => path.join(root, "lib", rel);
  const load = (dir: string) => {
    const file = path.join(dir, "index.js");
    delete require.cache[file];
    delete require.cache[path.join(dir, "answer.js")];
    return require(file) as { answer: number };
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lib-build-"));
    fs.mkdirSync(path.join(root, "lib"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
    const config = {
      compilerOptions: { target: "ES2022", module: "CommonJS", moduleResolution: "node10", strict: true, rootDir: "lib", declaration: true, types: [], ignoreDeprecations: "5.0" },
      include: ["lib/**/*.ts"],
    };
    fs.writeFileSync(path.join(root, "tsconfig.lib.json"), JSON.stringify(config));
    fs.writeFileSync(lib("answer.ts"), "export const answer: number = 41;\n");
    fs.writeFileSync(lib("extra.ts"), "export const extra = 1;\n");
    fs.writeFileSync(lib("index.ts"), 'export { answer } from "./answer.js";\nexport { extra } from "./extra.js";\n');
    for (const name of fs.readdirSync(path.join(root, "lib"))) fs.utimesSync(lib(name), FIXED_TIME, FIXED_TIME);
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  let firstDir = "";

  it("compiles lib/ to CommonJS with declarations, and says so before it starts", () => {
    const said: string[] = [];
    const result = libBuild.ensureLibBuild({ root, log: (m) => said.push(m) });
    expect(result.error).to.equal(undefined);
    expect(result.built).to.equal(true);
    expect(said.join("\n")).to.contain("compiling lib/");
    firstDir = result.dir!;
    expect(fs.readFileSync(path.join(firstDir, "index.d.ts"), "utf8")).to.contain("answer");
    expect(JSON.parse(fs.readFileSync(path.join(firstDir, "package.json"), "utf8"))).to.deep.equal({ type: "commonjs" });
    expect(load(firstDir).answer).to.equal(41);
  });

  it("does not compile again while lib/ is unchanged", () => {
    const result = libBuild.ensureLibBuild({ root });
    expect(result).to.deep.include({ dir: firstDir, built: false });
    expect(libBuild.currentBuild(root).built).to.equal(true);
  });

  it("sees an edit that keeps the file's size and modification time, and builds it into a new folder", () => {
    fs.writeFileSync(lib("answer.ts"), "export const answer: number = 42;\n");
    fs.utimesSync(lib("answer.ts"), FIXED_TIME, FIXED_TIME);
    expect(libBuild.currentBuild(root).built).to.equal(false);
    const result = libBuild.ensureLibBuild({ root });
    expect(result.built).to.equal(true);
    expect(result.dir).to.not.equal(firstDir);
    expect(load(result.dir!).answer).to.equal(42);
    // The older build stays for a kernel that still runs on it.
    expect(load(firstDir).answer).to.equal(41);
  });

  it("leaves out the outputs of a deleted source (the incremental staging folder still has them)", () => {
    fs.rmSync(lib("extra.ts"));
    fs.writeFileSync(lib("index.ts"), 'export { answer } from "./answer.js";\n');
    const result = libBuild.ensureLibBuild({ root });
    expect(result.built).to.equal(true);
    expect(fs.existsSync(path.join(result.dir!, "extra.js"))).to.equal(false);
    expect(fs.existsSync(path.join(root, "build", "kernel-lib", "staging", "extra.js"))).to.equal(true);
  });

  it("returns the compiler's errors, and no build, when lib/ does not compile", () => {
    fs.writeFileSync(lib("answer.ts"), 'export const answer: number = "forty-two";\n');
    const result = libBuild.ensureLibBuild({ root });
    expect(result.dir).to.equal(undefined);
    expect(result.error).to.contain("Type 'string' is not assignable to type 'number'");
    expect(libBuild.currentBuild(root).built).to.equal(false);
  });
});
