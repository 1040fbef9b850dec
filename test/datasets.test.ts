/**
 * Datasets: registry, checksums, the course's input values (asserted as given inputs),
 * and the validation that points at file, line and field for every kind of bad input.
 * Sources: datasets/README.md.
 */
import { expect } from "chai";
import { configErrorOf } from "./configErrors.js";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../lib/errors.js";
import {
  DatasetError,
  azureRtt,
  findAzureRtt,
  findRepositoryRoot,
  listDatasets,
  loadAzureLatencies,
  loadDriveFailureRates,
  loadPbsDistributions,
  loadYcsbWorkloads,
  parseAzureLatencies,
  parseDriveFailureRates,
  parsePbsDistributions,
  parseYcsbWorkloads,
  pbsProfile,
  readCsvTable,
  ycsbMix,
} from "../lib/datasets/index.js";
import type { PbsDistribution } from "../lib/datasets/index.js";
import { validateDistribution } from "../lib/sim/distributions.js";
import type { Distribution } from "../lib/sim/distributions.js";

const ROOT = findRepositoryRoot();
const dataText = (file: string) => readFileSync(join(ROOT, "datasets", file), "utf8");

/** Runs `fn`, expects a DatasetError at `file` / `line` / `field`, and returns it. */
function expectDatasetError(fn: () => unknown, file: string, line: number | null, field: string): DatasetError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a DatasetError").to.be.instanceOf(DatasetError);
  const err = caught as DatasetError;
  expect(err).to.be.instanceOf(ConfigError); // callers catching bad input catch this too
  expect({ file: err.file, line: err.line, field: err.field }).to.deep.equal({ file, line, field });
  const place = line === null ? `${file}, field ${field}: ` : `${file} line ${line}, field ${field}: `;
  expect(err.message.startsWith(place), err.message).to.equal(true);
  expect(err.message).to.match(/\. Fix: \S/);
  return err;
}

/** 1-based line of the first occurrence of `needle` in `text` (independent of the parser). */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, `"${needle}" not in text`).to.be.greaterThan(-1);
  return text.slice(0, at).split("\n").length;
}

describe("datasets: registry and checksums", () => {
  it("registers the five datasets, each with file, SHA-256, description, source and licence", () => {
    const names = listDatasets().map((d) => d.name);
    expect(names).to.deep.equal(["drive-failure-rates", "ycsb-workloads", "azure-inter-region-rtt", "pbs-wars", "cloud-prices"]);
    for (const d of listDatasets()) {
      expect(d.sha256, d.name).to.match(/^[0-9a-f]{64}$/);
      for (const text of [d.file, d.description, d.source, d.licence]) expect(text, d.name).to.be.a("string").and.not.equal("");
    }
  });

  it("pins each file's bytes: SHA-256 computed here matches the registry", () => {
    for (const d of listDatasets()) {
      const actual = createHash("sha256").update(readFileSync(join(ROOT, "datasets", d.file))).digest("hex");
      expect(actual, d.file).to.equal(d.sha256);
    }
  });

  it("every loader loads its file through the checksum check", () => {
    expect(loadDriveFailureRates()).to.have.length.greaterThan(0);
    expect(loadYcsbWorkloads()).to.have.length(6);
    expect(loadAzureLatencies()).to.have.length.greaterThan(0);
    expect(Object.keys(loadPbsDistributions())).to.deep.equal(["LNKD-SSD", "LNKD-DISK", "YMMR", "WAN"]);
  });

  describe("with a copy of the datasets folder", () => {
    let tmp = "";
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), "datasets-test-"));
      mkdirSync(join(tmp, "datasets"));
      for (const f of ["README.md", ...listDatasets().map((d) => d.file)]) copyFileSync(join(ROOT, "datasets", f), join(tmp, "datasets", f));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));

    it("loads from an explicit { root }", () => {
      expect(ycsbMix("B", { root: tmp }).read).to.equal(0.95);
    });

    it("a changed file fails its checksum, naming file and field, printing the new hash and where it goes", () => {
      const path = join(tmp, "datasets", "drive-failure-rates.csv");
      const changed = readFileSync(path, "utf8").replace("2024,1.57", "2024,1.58");
      writeFileSync(path, changed);
      const newHash = createHash("sha256").update(changed).digest("hex");
      const err = expectDatasetError(() => loadDriveFailureRates({ root: tmp }), "datasets/drive-failure-rates.csv", null, "sha256");
      expect(err.message).to.contain("the file changed").and.contain(newHash).and.contain("lib/datasets/registry.ts");
    });

    it("a missing file is named", () => {
      rmSync(join(tmp, "datasets", "pbs-wars.json"));
      expectDatasetError(() => loadPbsDistributions({ root: tmp }), "datasets/pbs-wars.json", null, "file");
    });

    it("finds the repository by walking up from a subfolder of the working directory", () => {
      const deep = join(tmp, "notebooks", "sub");
      mkdirSync(deep, { recursive: true });
      const before = process.cwd();
      try {
        process.chdir(deep);
        expect(findRepositoryRoot()).to.equal(findRepositoryRoot({ root: tmp }));
        expect(azureRtt("UK South", "West Europe")).to.equal(12);
      } finally {
        process.chdir(before);
      }
    });
  });

  it("a root without datasets/README.md is a ConfigError on field root", () => {
    const err = configErrorOf(() => loadYcsbWorkloads({ root: tmpdir() }));
    expect(err.field).to.equal("root");
  });
});

describe("datasets: drive failure rates (Backblaze Drive Stats)", () => {
  // The course's input numbers (datasets/README.md gives the reports stating each).
  it("holds the given 2024 full-year AFR and the given quarterly AFRs exactly", () => {
    const byPeriod = new Map(loadDriveFailureRates().map((r) => [r.period, r]));
    expect(byPeriod.get("2024")).to.include({ kind: "year", year: 2024, quarter: null, afrPercent: 1.57 });
    const given: [string, number][] = [
      ["2023-Q1", 1.54],
      ["2023-Q2", 2.28],
      ["2023-Q4", 1.53],
      ["2024-Q1", 1.41],
      ["2024-Q2", 1.71],
      ["2025-Q2", 1.36],
      ["2025-Q3", 1.55],
    ];
    for (const [period, afr] of given) {
      const row = byPeriod.get(period);
      expect(row, period).to.not.equal(undefined);
      expect(row?.afrPercent, period).to.equal(afr);
      expect(row?.kind).to.equal("quarter");
      expect(row?.year).to.equal(Number(period.slice(0, 4)));
      expect(row?.quarter).to.equal(Number(period.slice(-1)));
    }
  });

  it("names a Backblaze report for every row", () => {
    for (const r of loadDriveFailureRates()) expect(r.reportedIn, r.period).to.match(/^Backblaze Drive Stats for /);
  });
});

describe("datasets: YCSB core workloads (brianfrankcooper/YCSB workloads/workloada-f)", () => {
  // Values of the YCSB property files, as cited in datasets/README.md.
  const expected = {
    A: { read: 0.5, update: 0.5, insert: 0, scan: 0, readModifyWrite: 0, requestDistribution: "zipfian", maxScanLength: null },
    B: { read: 0.95, update: 0.05, insert: 0, scan: 0, readModifyWrite: 0, requestDistribution: "zipfian", maxScanLength: null },
    C: { read: 1, update: 0, insert: 0, scan: 0, readModifyWrite: 0, requestDistribution: "zipfian", maxScanLength: null },
    D: { read: 0.95, update: 0, insert: 0.05, scan: 0, readModifyWrite: 0, requestDistribution: "latest", maxScanLength: null },
    E: { read: 0, update: 0, insert: 0.05, scan: 0.95, readModifyWrite: 0, requestDistribution: "zipfian", maxScanLength: 100 },
    F: { read: 0.5, update: 0, insert: 0, scan: 0, readModifyWrite: 0.5, requestDistribution: "zipfian", maxScanLength: null },
  } as const;

  it("matches each workload file's proportions, request distribution and scan length", () => {
    for (const [name, want] of Object.entries(expected)) {
      const mix = ycsbMix(name);
      expect(mix, name).to.include(want);
      expect(mix.sourceFile).to.equal(`workloads/workload${name.toLowerCase()}`);
      expect(mix.read + mix.update + mix.insert + mix.scan + mix.readModifyWrite, name).to.be.closeTo(1, 1e-12);
    }
    expect(ycsbMix("E").scanLengthDistribution).to.equal("uniform");
  });

  it("an unknown workload is a ConfigError listing the known ones", () => {
    const err = configErrorOf(() => ycsbMix("G"));
    expect(err.message).to.equal('workload.mix: unknown value "G". Fix: use one of "A", "B", "C", "D", "E", "F"');
  });
});

describe("datasets: Azure inter-region median round trips", () => {
  it("holds the given directional medians exactly", () => {
    const given: [string, string, number][] = [
      ["East US", "East US 2", 10],
      ["East US", "West US", 71],
      ["East US", "West Europe", 83],
      ["North Europe", "West Europe", 18],
      ["UK South", "West Europe", 12],
      ["Japan East", "East US", 164],
      ["Southeast Asia", "East US", 224],
      ["Australia East", "Brazil South", 299],
    ];
    for (const [from, to, ms] of given) expect(azureRtt(from, to), `${from} → ${to}`).to.equal(ms);
  });

  it("keeps directions apart: a pair and its reverse may differ", () => {
    expect(azureRtt("West Europe", "East US")).to.equal(85);
    expect(azureRtt("East US", "West Europe")).to.equal(83);
  });

  const rows = parseAzureLatencies("from,to,rtt_ms\nA,B,10\nB,C,20\n", "t.csv");

  it("an unlisted pair whose reverse is listed names both and the reverse's value", () => {
    const err = configErrorOf(() => findAzureRtt(rows, "B", "A", "t.csv"));
    expect(err.field).to.equal("link");
    expect(err.message).to.contain('"B" → "A"').and.contain("t.csv").and.contain('reverse direction "A" → "B" is listed (10 ms)');
  });

  it("an unlisted pair without a listed reverse says so", () => {
    const err = configErrorOf(() => findAzureRtt(rows, "A", "C", "t.csv"));
    expect(err.message).to.contain('"A" → "C"').and.contain("is not listed either");
  });

  it("an unknown region name is named, with the names the file uses", () => {
    const err = configErrorOf(() => azureRtt("East US", "Mars"));
    expect(err.message).to.contain('no row mentions "Mars"').and.contain('"West Europe"');
  });
});

describe("datasets: PBS WARS distributions (Bailis et al., VLDB 2012)", () => {
  const pareto = (scale: number, shape: number) => ({ kind: "pareto", scale, shape });
  const exponential = (rate: number) => ({ kind: "exponential", rate });
  const mix = (w: number, a: object, b: object) => ({
    kind: "mixture",
    components: [
      { weight: w, dist: a },
      { weight: Number((1 - w).toFixed(6)), dist: b },
    ],
  });
  // The fitted parameters the course starts from (percentages as weights, λ per ms, Pareto(xm, α)).
  const lnkdSsd = mix(0.9122, pareto(0.235, 10), exponential(1.66));
  const lnkdDiskW = mix(0.38, pareto(1.05, 1.51), exponential(0.183));
  const ymmrW = mix(0.939, pareto(3, 3.35), exponential(0.0028));
  const ymmrARS = mix(0.982, pareto(1.5, 3.8), exponential(0.0217));

  it("holds the given fits for LNKD-SSD, LNKD-DISK and YMMR exactly", () => {
    const p = loadPbsDistributions();
    expect(p["LNKD-SSD"]).to.deep.include({ W: lnkdSsd, A: lnkdSsd, R: lnkdSsd, S: lnkdSsd, wan: null });
    expect(p["LNKD-DISK"]).to.deep.include({ W: lnkdDiskW, A: lnkdSsd, R: lnkdSsd, S: lnkdSsd, wan: null });
    expect(p.YMMR).to.deep.include({ W: ymmrW, A: ymmrARS, R: ymmrARS, S: ymmrARS, wan: null });
  });

  it("WAN is LNKD-DISK plus 75 ms each way to remote replicas, one replica local", () => {
    const wan = pbsProfile("WAN");
    const disk = pbsProfile("LNKD-DISK");
    for (const leg of ["W", "A", "R", "S"] as const) expect(wan[leg], leg).to.deep.equal(disk[leg]);
    expect(wan.wan).to.include({ oneWayDelayMs: 75, localReplicas: 1 });
  });

  it("plugs into the simulator: every distribution passes lib/sim's validateDistribution", () => {
    for (const profile of Object.values(loadPbsDistributions())) {
      for (const leg of ["W", "A", "R", "S"] as const) {
        const d: Distribution = profile[leg]; // compile-time check that the shapes agree
        expect(validateDistribution(`pbs.${profile.name}.${leg}`, d)).to.equal(d);
      }
    }
  });

  it("returns frozen data, so a notebook cannot change the dataset for the next cell", () => {
    const w = pbsProfile("YMMR").W as Extract<PbsDistribution, { kind: "mixture" }>;
    expect(Object.isFrozen(w.components[0])).to.equal(true);
    expect(() => ((w.components[0] as { weight: number }).weight = 1)).to.throw(TypeError);
  });

  it("an unknown profile is a ConfigError listing the known ones", () => {
    expect(configErrorOf(() => pbsProfile("LNKD")).message).to.contain('"LNKD-SSD", "LNKD-DISK", "YMMR", "WAN"');
  });
});

describe("datasets: malformed input names file, line and field", () => {
  const drive = "period,afr_percent,reported_in\n2024,1.57,r\n2023-Q1,1.54,r\n";

  it("a bad number: the example message, exactly", () => {
    const err = expectDatasetError(() => parseDriveFailureRates(`${drive}2023-Q2,abc,r\n`, "drive-failure-rates.csv"), "drive-failure-rates.csv", 4, "afr_percent");
    expect(err.message.startsWith('drive-failure-rates.csv line 4, field afr_percent: must be a number in [0, 100], got "abc"')).to.equal(true);
  });

  it("a number out of range, and a malformed key", () => {
    expectDatasetError(() => parseDriveFailureRates(`${drive}2023-Q2,101,r\n`, "d.csv"), "d.csv", 4, "afr_percent");
    expectDatasetError(() => parseDriveFailureRates(`${drive}2023-Q5,1,r\n`, "d.csv"), "d.csv", 4, "period");
  });

  it("a missing column in the header", () => {
    expectDatasetError(() => parseDriveFailureRates("period,afr_percent\n2024,1.57\n", "d.csv"), "d.csv", 1, "reported_in");
  });

  it("an extra column in the header", () => {
    expectDatasetError(() => parseDriveFailureRates("period,afr_percent,reported_in,notes\n2024,1.57,r,x\n", "d.csv"), "d.csv", 1, "notes");
  });

  it("a row with a value missing, and a row with one too many", () => {
    expectDatasetError(() => parseDriveFailureRates(`${drive}2023-Q2,1.5\n`, "d.csv"), "d.csv", 4, "reported_in");
    expectDatasetError(() => parseDriveFailureRates(`${drive}2023-Q2,1.5,r,extra\n`, "d.csv"), "d.csv", 4, "column 4");
  });

  it("duplicate rows: the same quarter, the same region pair, the same workload", () => {
    const err = expectDatasetError(() => parseDriveFailureRates(`${drive}\n2024,1.6,r\n`, "d.csv"), "d.csv", 5, "period");
    expect(err.message).to.contain("first given on line 2");
    expectDatasetError(() => parseAzureLatencies("from,to,rtt_ms\nA,B,1\nB,A,2\nA,B,3\n", "a.csv"), "a.csv", 4, "from/to");
    const ycsb = dataText("ycsb-workloads.csv");
    const lineA = ycsb.split("\n")[1];
    const doubled = `${ycsb}${lineA}\n`;
    expectDatasetError(() => parseYcsbWorkloads(doubled, "y.csv"), "y.csv", 8, "workload");
  });

  it("YCSB: proportions not summing to 1, scans without a length, a length without scans", () => {
    const ycsb = dataText("ycsb-workloads.csv");
    const lineB = lineOf(ycsb, "\nB,") + 1;
    expectDatasetError(() => parseYcsbWorkloads(ycsb.replace("0.95,0.05,0,0,0,zipfian", "0.95,0.06,0,0,0,zipfian"), "y.csv"), "y.csv", lineB, "readproportion");
    const lineE = lineOf(ycsb, "\nE,") + 1;
    expectDatasetError(() => parseYcsbWorkloads(ycsb.replace("zipfian,100,uniform", "zipfian,,uniform"), "y.csv"), "y.csv", lineE, "maxscanlength");
    expectDatasetError(() => parseYcsbWorkloads(ycsb.replace("0.5,0.5,0,0,0,zipfian,,", "0.5,0.5,0,0,0,zipfian,100,"), "y.csv"), "y.csv", 2, "maxscanlength");
    expectDatasetError(() => parseYcsbWorkloads(ycsb.replace(",latest,", ",hotspot,"), "y.csv"), "y.csv", lineOf(ycsb, "\nD,") + 1, "requestdistribution");
  });

  it("Azure: a non-positive round trip, a region paired with itself", () => {
    expectDatasetError(() => parseAzureLatencies("from,to,rtt_ms\nA,B,-3\n", "a.csv"), "a.csv", 2, "rtt_ms");
    expectDatasetError(() => parseAzureLatencies("from,to,rtt_ms\nA,B,3\nC,C,1\n", "a.csv"), "a.csv", 3, "to");
  });

  describe("PBS JSON, with the line found independently in the edited text", () => {
    const pbs = dataText("pbs-wars.json");

    it("mixture weights not summing to 1", () => {
      const bad = pbs.replace('"weight": 0.62', '"weight": 0.52');
      const line = lineOf(bad, '"weight": 0.52') - 2; // the "components" list opens two lines up
      const err = expectDatasetError(() => parsePbsDistributions(bad, "pbs-wars.json"), "pbs-wars.json", line, "profiles.LNKD-DISK.W.components");
      expect(err.message).to.contain("sum to 1");
    });

    it("a negative rate", () => {
      const bad = pbs.replace('"rate": 0.183}', '"rate": -0.183}');
      const err = expectDatasetError(
        () => parsePbsDistributions(bad, "pbs-wars.json"),
        "pbs-wars.json",
        lineOf(bad, '"rate": -0.183'),
        "profiles.LNKD-DISK.W.components[1].dist.rate",
      );
      expect(err.message).to.contain("must be > 0, got -0.183");
    });

    it("an unknown distribution kind, a missing parameter, an unknown field", () => {
      const kind = pbs.replace('{"kind": "pareto", "scale": 3,', '{"kind": "paretto", "scale": 3,');
      expectDatasetError(() => parsePbsDistributions(kind, "p.json"), "p.json", lineOf(kind, "paretto"), "profiles.YMMR.W.components[0].dist.kind");
      const missing = pbs.replace('"scale": 3, "shape": 3.35', '"scale": 3');
      expectDatasetError(() => parsePbsDistributions(missing, "p.json"), "p.json", lineOf(missing, '"scale": 3}'), "profiles.YMMR.W.components[0].dist.shape");
      const extra = pbs.replace('"shape": 3.35}', '"shape": 3.35, "loc": 1}');
      expectDatasetError(() => parsePbsDistributions(extra, "p.json"), "p.json", lineOf(extra, '"loc"'), "profiles.YMMR.W.components[0].dist.loc");
    });

    it("a duplicate key, which JSON.parse would silently drop", () => {
      const dup = pbs.replace('"localReplicas": 1,', '"localReplicas": 1,\n        "localReplicas": 3,');
      expectDatasetError(() => parsePbsDistributions(dup, "p.json"), "p.json", lineOf(dup, '"localReplicas": 3'), "profiles.WAN.wan.localReplicas");
    });

    it("a JSON syntax error names its line", () => {
      const broken = pbs.replace('"localReplicas": 1,', '"localReplicas": 1');
      expectDatasetError(() => parsePbsDistributions(broken, "p.json"), "p.json", lineOf(broken, '"note"'), "(syntax)");
    });
  });

  it("CSV quoting: commas and doubled quotes inside quotes, CRLF line ends, an unclosed quote", () => {
    const rows = readCsvTable('a,b\r\n"x, y","say ""hi"""\r\n\r\nz,w\r\n', "q.csv", ["a", "b"]);
    expect(rows).to.deep.equal([
      { line: 2, cells: { a: "x, y", b: 'say "hi"' } },
      { line: 4, cells: { a: "z", b: "w" } },
    ]);
    expectDatasetError(() => readCsvTable('a,b\n1,"open\n', "q.csv", ["a", "b"]), "q.csv", 2, "column 2");
    // A quoted value may span lines; the rows after it keep their true line numbers.
    const spanning = readCsvTable('a,b\n"two\nlines",x\ny,z\n', "q.csv", ["a", "b"]);
    expect(spanning.map((r) => r.line)).to.deep.equal([2, 4]);
    expect(spanning[0].cells.a).to.equal("two\nlines");
  });

  it("CSV (csv-parse underneath): a byte-order mark, whitespace-only lines, trimmed unquoted cells; each quoting error names its line and fix", () => {
    const rows = readCsvTable('\ufeffa,b\n 1 , " 2 "\n   \n"x\r\ny",3\n', "q.csv", ["a", "b"]);
    expect(rows).to.deep.equal([
      { line: 2, cells: { a: "1", b: " 2 " } },
      { line: 4, cells: { a: "x\r\ny", b: "3" } },
    ]);
    const quoteInside = expectDatasetError(() => readCsvTable('a,b\n1,2\nx"y,1\n', "q.csv", ["a", "b"]), "q.csv", 3, "column 1");
    expect(quoteInside.message).to.contain("a quote inside an unquoted value").and.contain('double the inner quote ("")');
    const afterClosing = expectDatasetError(() => readCsvTable('a,b\n"x"y,1\n', "q.csv", ["a", "b"]), "q.csv", 2, "column 1");
    expect(afterClosing.message).to.contain("text after a closing quote");
  });
});
