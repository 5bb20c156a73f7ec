import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KINDS } from "./registry";
import { defaultReferenceDir } from "./schemas";

const reference = defaultReferenceDir();

describe("the kind registry matches the reference schemas", () => {
  it("has each CRD's group, kind, plural, scope, served versions (storage first) and short names", () => {
    for (const k of KINDS) {
      if (k.schema.source !== "crd") continue;
      const crd = parse(fs.readFileSync(path.join(reference, "crds", k.schema.file), "utf8")) as {
        spec: {
          group: string;
          scope: string;
          names: { kind: string; plural: string; singular: string; shortNames?: string[] };
          versions: Array<{ name: string; served: boolean; storage: boolean }>;
        };
      };
      const served = crd.spec.versions.filter((v) => v.served);
      const storage = served.filter((v) => v.storage).map((v) => v.name);
      expect({
        group: k.group,
        kind: k.kind,
        plural: k.plural,
        singular: k.singular,
        namespaced: k.namespaced,
        versions: [...k.versions].sort(),
        storage: k.versions[0],
        shortNames: k.shortNames,
      }).toEqual({
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        plural: crd.spec.names.plural,
        singular: crd.spec.names.singular,
        namespaced: crd.spec.scope === "Namespaced",
        versions: served.map((v) => v.name).sort(),
        storage: storage[0],
        shortNames: crd.spec.names.shortNames ?? [],
      });
    }
  });

  it("has each core kind's group/version/kind as declared in the swagger definitions", () => {
    const swagger = JSON.parse(fs.readFileSync(path.join(reference, "k8s-openapi", "swagger-subset-core.json"), "utf8")) as {
      definitions: Record<string, { "x-kubernetes-group-version-kind"?: Array<{ group: string; version: string; kind: string }> }>;
    };
    const declared = Object.values(swagger.definitions).flatMap((d) => d["x-kubernetes-group-version-kind"] ?? []);
    const core = KINDS.filter((k) => k.schema.source === "core");
    expect(core.map((k) => `${k.group}/${k.versions[0]}/${k.kind}`).sort()).toEqual(declared.map((g) => `${g.group}/${g.version}/${g.kind}`).sort());
    for (const k of core) {
      if (k.schema.source !== "core") continue;
      expect(swagger.definitions[k.schema.definition]?.["x-kubernetes-group-version-kind"]?.[0]?.kind).toBe(k.kind);
    }
  });
});
