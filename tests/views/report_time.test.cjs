// The page's time rules (report-time.js) against vectors generated from orgsim.times by test_report_time.py.
// Run by that test with Node's built-in runner: node --test tests/views/report_time.test.cjs
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const OrgsimTime = require(path.resolve(__dirname, "../../src/orgsim/views/assets/report-time.js"));
const vectors = JSON.parse(fs.readFileSync(process.env.ORGSIM_TIME_VECTORS, "utf8"));
const time = OrgsimTime.withZones(vectors.zones);

for (const vector of vectors.cases) {
  test(`${vector.text} in ${vector.zone}`, () => {
    const got = time.parseInstant(vector.text, vector.zone);
    if (vector.error !== null) {
      assert.equal(got.error, vector.error, `expected the error orgsim state gives, got ${JSON.stringify(got)}`);
    } else {
      assert.equal(got.error, undefined, `orgsim state reads it as ${vector.ms}`);
      assert.equal(got.ms, vector.ms);
    }
  });
}

for (const shown of vectors.shown) {
  test(`${shown.ms} shown in ${shown.zone}`, () => {
    assert.equal(time.formatInstant(shown.ms, shown.zone), shown.text);
  });
}
