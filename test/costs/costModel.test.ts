/**
 * The cost model against a bill worked out by hand, the cloud-prices dataset's loader and its
 * validation, and the ConfigErrors for a negative or missing price of a link class.
 */
import { expect } from "chai";
import { configErrorOf } from "../configErrors.js";
import { ConfigError } from "../../lib/errors.js";
import { DatasetError, loadCloudPrices, parseCloudPrices } from "../../lib/datasets/index.js";
import { bytesByLink, linkClassOf, monthlyCost, priceTableOf, totalUsd } from "../../lib/costs/index.js";
import type { CostPlacement, PriceTable } from "../../lib/costs/index.js";
import type { Trace } from "../../lib/sim/trace.js";

const PRICES: PriceTable = {
  instanceUsdPerHour: 0.1,
  transfer: {
    "intra-az": { usdPerGb: 0, chargedOn: "sender" },
    "inter-az": { usdPerGb: 0.01, chargedOn: "both" },
    "inter-region": { usdPerGb: 0.02, chargedOn: "sender" },
    internet: { usdPerGb: 0.09, chargedOn: "sender" },
  },
};

const PLACEMENT: CostPlacement = {
  nodes: { n1: { region: "us-east-1", zone: "a" }, n2: { region: "us-east-1", zone: "b" }, n3: { region: "eu-west-1", zone: "a" }, n4: { region: "us-east-1", zone: "a" } },
  clients: "internet",
};

function send(src: string, dest: string, bytes: number): Trace[number] {
  return { type: "send", t: 0, id: 0, src, dest, msg: "x", bytes } as Trace[number];
}

describe("cost model", () => {
  it("classes each message by where it travels; inbound internet traffic is free", () => {
    expect(linkClassOf(PLACEMENT, "n1", "n4")).to.equal("intra-az");
    expect(linkClassOf(PLACEMENT, "n1", "n2")).to.equal("inter-az");
    expect(linkClassOf(PLACEMENT, "n2", "n3")).to.equal("inter-region");
    expect(linkClassOf(PLACEMENT, "n1", "c1")).to.equal("internet");
    expect(linkClassOf(PLACEMENT, "c1", "n1")).to.equal(null);
  });

  it("matches a bill computed by hand", () => {
    // One hour of run; a month is 730 hours, so every byte counts 730 times.
    const trace = [send("n1", "n4", 5e8), send("n1", "n2", 1e9), send("n2", "n3", 2e9), send("n1", "c1", 3e9), send("c1", "n1", 7e9)] as Trace;
    const bytes = bytesByLink(trace, PLACEMENT);
    expect(bytes).to.deep.equal({ "intra-az": 5e8, "inter-az": 1e9, "inter-region": 2e9, internet: 3e9 });
    const rows = monthlyCost(3, bytes, 3_600_000, PRICES);
    // By hand: instances 3 × 730 h × $0.10 = $219; inter-AZ 730 GB × $0.01 × 2 ends = $14.60;
    // inter-region 1,460 GB × $0.02 = $29.20; internet 2,190 GB × $0.09 = $197.10; intra-AZ free.
    const usd = Object.fromEntries(rows.map((r) => [r.item, r.usdPerMonth]));
    expect(usd.instances).to.be.closeTo(219, 1e-9);
    expect(usd["intra-az"]).to.equal(0);
    expect(usd["inter-az"]).to.be.closeTo(14.6, 1e-9);
    expect(usd["inter-region"]).to.be.closeTo(29.2, 1e-9);
    expect(usd.internet).to.be.closeTo(197.1, 1e-9);
    expect(totalUsd(rows)).to.be.closeTo(219 + 14.6 + 29.2 + 197.1, 1e-9);
  });

  it("rejects a negative price of a link class, naming the field", () => {
    const bad = { ...PRICES, transfer: { ...PRICES.transfer, "inter-region": { usdPerGb: -0.02, chargedOn: "sender" as const } } };
    const err = configErrorOf(() => monthlyCost(3, { "intra-az": 0, "inter-az": 0, "inter-region": 0, internet: 0 }, 1000, bad));
    expect(err.field).to.equal("prices.transfer.inter-region.usdPerGb");
  });

  it("rejects a missing link class and a missing price, naming the field", () => {
    const { internet: _dropped, ...rest } = PRICES.transfer;
    const missing = { ...PRICES, transfer: rest } as unknown as PriceTable;
    expect(configErrorOf(() => monthlyCost(1, { "intra-az": 0, "inter-az": 0, "inter-region": 0, internet: 0 }, 1000, missing)).field).to.equal("prices.transfer.internet");
    const noPrice = { ...PRICES, transfer: { ...PRICES.transfer, "inter-az": { chargedOn: "both" } } } as unknown as PriceTable;
    expect(configErrorOf(() => monthlyCost(1, { "intra-az": 0, "inter-az": 0, "inter-region": 0, internet: 0 }, 1000, noPrice)).field).to.equal("prices.transfer.inter-az.usdPerGb");
    expect(configErrorOf(() => monthlyCost(1, { "intra-az": 0, "inter-az": 0, "inter-region": 0, internet: 0 }, 0, PRICES)).field).to.equal("durationMs");
    expect(configErrorOf(() => linkClassOf(PLACEMENT, "n9", "n1")).field).to.equal("placement.nodes.n9");
  });
});

describe("cloud-prices dataset", () => {
  const HEADER = "kind,item,usd,unit,charged_on,source\n";
  const GOOD = [
    "instance,m7g.large,0.0816,instance-hour,,s",
    "transfer,intra-az,0,GB,sender,s",
    "transfer,inter-az,0.01,GB,both,s",
    "transfer,inter-region,0.02,GB,sender,s",
    "transfer,internet,0.09,GB,sender,s",
  ];

  it("loads with its checksum and gives the cited prices", () => {
    const p = loadCloudPrices();
    expect(p.instances["m7g.large"].usdPerHour).to.equal(0.0816);
    expect(p.transfer["inter-az"]).to.include({ usdPerGb: 0.01, chargedOn: "both" });
    expect(p.transfer["inter-region"].usdPerGb).to.equal(0.02);
    expect(p.transfer.internet.usdPerGb).to.equal(0.09);
    expect(priceTableOf(p, "m7g.large").instanceUsdPerHour).to.equal(0.0816);
    expect(configErrorOf(() => priceTableOf(p, "m9.huge")).field).to.equal("instanceType");
  });

  it("rejects a negative price, naming file, line and column", () => {
    const text = HEADER + GOOD.map((l) => (l.startsWith("transfer,inter-az") ? "transfer,inter-az,-0.01,GB,both,s" : l)).join("\n") + "\n";
    const err = configErrorOf(() => parseCloudPrices(text)) as DatasetError;
    expect(err).to.be.instanceOf(DatasetError);
    expect({ line: err.line, field: err.field }).to.deep.equal({ line: 4, field: "usd" });
  });

  it("rejects a link class with no row, naming the field", () => {
    const text = HEADER + GOOD.filter((l) => !l.includes("inter-region")).join("\n") + "\n";
    const err = configErrorOf(() => parseCloudPrices(text)) as DatasetError;
    expect(err.field).to.equal("item");
    expect(err.message).to.contain("inter-region");
  });

  it("rejects a missing price cell and a repeated link class", () => {
    const empty = HEADER + GOOD.map((l) => (l.startsWith("transfer,internet") ? "transfer,internet,,GB,sender,s" : l)).join("\n") + "\n";
    expect((configErrorOf(() => parseCloudPrices(empty)) as DatasetError).field).to.equal("usd");
    const twice = HEADER + [...GOOD, "transfer,internet,0.05,GB,sender,s"].join("\n") + "\n";
    expect((configErrorOf(() => parseCloudPrices(twice)) as DatasetError).field).to.equal("item");
  });
});
