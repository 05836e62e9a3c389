// Verification shared through the store: what two workers on one store (two stores opened on one
// place, as two processes) spend of the owner's Crisp quota for one secret.
import { expect, it } from "vitest";
import { Keypair } from "../../src/detect/fingerprint.js";
import type { Verification } from "../../src/detect/types.js";
import { sharedVerifier } from "../../src/verify/shared.js";
import type { Verifier, VerifyRequest } from "../../src/verify/types.js";
import { holdsRaw, randomKeypair } from "../helpers/keypairs.js";
import { forEachStore } from "../helpers/stores.js";

/** A verifier that answers `status` after `ms`, counting its calls (each would be a Crisp request). */
function counting(status: Verification["status"], ms = 30, now = () => Date.now()): Verifier & { calls: number } {
  const v = {
    calls: 0,
    async verify(): Promise<Verification> {
      v.calls++;
      await new Promise((r) => setTimeout(r, ms));
      return { status, tier: status === "unknown" ? null : "plugin", reason: status === "live" ? "200" : "x", checkedAt: new Date(now()).toISOString() };
    },
  };
  return v;
}

function request(): VerifyRequest & { raw: { identifier: string; key: string } } {
  const raw = randomKeypair();
  return { raw, keypair: new Keypair(raw.identifier, raw.key), tier: null, websiteId: null, websiteIds: [] };
}

forEachStore((backend) => {
  it("two workers checking one secret at once ask Crisp once, and the answer is recorded once", async () => {
    const place = await backend.fresh();
    const [a, b] = [await place.open(), await place.open()];
    const innerA = counting("live");
    const innerB = counting("live");
    const req = request();
    const answers = await Promise.all([
      sharedVerifier(innerA, { store: a }).verify(req),
      sharedVerifier(innerB, { store: b }).verify(req),
      sharedVerifier(innerB, { store: b }).verify(req),
    ]);
    expect(innerA.calls + innerB.calls).toBe(1);
    expect(answers.map((x) => x.status)).toEqual(["live", "live", "live"]);
    // The worker then records the same answer with its findings: still one row.
    await b.recordVerification(req.keypair.fingerprint, answers[2]);
    expect(await a.verificationsOf(req.keypair.fingerprint)).toHaveLength(1);
    expect(holdsRaw(await place.dump(), req.raw)).toBe(false);
  });

  it("an unknown answer is not shared, and a shared one ages out after the TTL", async () => {
    const place = await backend.fresh();
    const store = await place.open();
    const req = request();
    const unknown = counting("unknown", 1);
    await sharedVerifier(unknown, { store }).verify(req);
    await sharedVerifier(unknown, { store }).verify(req);
    expect(unknown.calls).toBe(2);

    let clock = Date.parse("2025-03-01T00:00:00Z");
    const live = counting("live", 1, () => clock);
    const verifier = sharedVerifier(live, { store, ttlMs: 60_000, now: () => clock });
    await verifier.verify(req);
    clock += 30_000;
    await verifier.verify(req);
    expect(live.calls).toBe(1);
    clock += 31_000;
    await verifier.verify(req);
    expect(live.calls).toBe(2);
  });
});
