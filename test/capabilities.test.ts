import { describe, it } from "node:test";
import { expect } from "expect";
import { SKIP_REASONS, parseProbeOutput, skipReason } from "../support/host/kernel-capabilities.js";
import { decidePrivilege } from "../support/host/privilege.js";

describe("kernel capabilities", () => {
  it("reads the probe's answers", () => {
    expect(
      parseProbeOutput("nft_nat=yes\nrelease=6.18.44\nipvs=no\nesp=no\nRTNETLINK answers: Protocol not supported\n"),
    ).toEqual({
      nftNat: true,
      ipvs: false,
      esp: false,
      release: "6.18.44",
    });
    expect(parseProbeOutput("nft_nat=no\nipvs=yes\nesp=yes\n")).toEqual({
      ipvs: true,
      esp: true,
      nftNat: false,
      release: "unknown",
    });
    expect(() => parseProbeOutput("garbage")).toThrow(/no ipvs= line/);
  });

  it("skips only scenarios whose needs are missing, with the reason", () => {
    const none = { ipvs: false, esp: false, nftNat: true, release: "6.18", kind: "host" as const };
    expect(skipReason(["@ipvs"], none)).toBe(SKIP_REASONS.ipvs);
    expect(skipReason(["@ipvs", "@esp"], none)).toBe(`${SKIP_REASONS.ipvs}; ${SKIP_REASONS.esp}`);
    expect(skipReason(["@smoke"], none)).toBeUndefined();
    expect(skipReason(["@ipvs"], { ...none, ipvs: true })).toBeUndefined();
  });
});

describe("privilege decision", () => {
  it("uses --privileged when the probe container ran", () => {
    expect(decidePrivilege("auto", { ok: true }).mode).toBe("privileged");
  });

  it("falls back to capabilities and says why", () => {
    const decision = decidePrivilege("auto", {
      ok: false,
      error: "unable to apply caps: operation not permitted\nmore",
    });
    expect(decision).toEqual({
      mode: "capabilities",
      why: "--privileged fails here (unable to apply caps: operation not permitted)",
    });
  });

  it("obeys an explicit setting", () => {
    expect(decidePrivilege("capabilities", { ok: true }).mode).toBe("capabilities");
    expect(decidePrivilege("privileged", { ok: false, error: "x" }).mode).toBe("privileged");
  });
});
