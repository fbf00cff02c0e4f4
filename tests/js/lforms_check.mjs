// Renders a FHIR Questionnaire in LHC-Forms (npm lforms) in headless Chromium, once per
// answer set: each set is loaded as a QuestionnaireResponse, then the items LHC-Forms
// enables and the QuestionnaireResponse it exports are written out.
//
//   node lforms_check.mjs CHROMIUM INPUT.json OUTPUT.json
//
// INPUT: {"questionnaire": {...}, "responses": [{...QuestionnaireResponse...}, ...]}
// OUTPUT: [{"enabled": [linkId, ...], "response": {...}, "drawn": bool} | {"error": "..."}]
//   (the first "rendered" sets, default 8, twice: drawn on the page, then not)
// Everything is served from node_modules on 127.0.0.1: nothing leaves the machine.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const [chromium, inputPath, outputPath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "node_modules", "lforms", "dist", "lforms");
const input = JSON.parse(readFileSync(inputPath, "utf8"));

const page = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/lforms/webcomponent/styles.css">
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js" type="module"></script>
<script src="/lforms/webcomponent/polyfills.js" type="module"></script>
<script src="/lforms/webcomponent/main.js" type="module"></script>
</head><body><div id="form"></div></body></html>`;
const types = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html",
  ".png": "image/png", ".json": "application/json", ".map": "application/json" };

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(page);
    return;
  }
  if (url.pathname.startsWith("/lforms/")) {
    const file = normalize(join(dist, url.pathname.slice("/lforms/".length)));
    if (file.startsWith(dist) && existsSync(file)) {
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
      return;
    }
  }
  res.writeHead(404);
  res.end();
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const port = server.address().port;

const profile = mkdtempSync(join(tmpdir(), "iopguide-lforms-"));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  const tab = await browser.newPage();
  const problems = [];
  tab.on("pageerror", (e) => problems.push(String(e)));
  // Only 127.0.0.1 is reached: any other request is refused.
  await tab.setRequestInterception(true);
  tab.on("request", (r) => (r.url().startsWith(`http://127.0.0.1:${port}/`) ? r.continue() : r.abort()));
  await tab.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
  await tab.waitForFunction(() => window.LForms && LForms.Util && LForms.Util.addFormToPage
    && customElements.get("wc-lhc-form"), { timeout: 60000 });
  // The FHIR support file needs LForms, which the module scripts define.
  await tab.addScriptTag({ url: `http://127.0.0.1:${port}/lforms/fhir/R4/lformsFHIR.min.js` });
  await tab.waitForFunction(() => LForms.Util.getFormFHIRData && LForms.FHIR, { timeout: 60000 });
  // The first answer sets are rendered as a page would render them (the web component);
  // every set then goes through the same LHC-Forms form model without drawing the page
  // (what the component runs before it draws: conversion, merge, FHIR resources,
  // calculations, skip logic). The test checks that both ways agree on the first sets.
  const rendered = Math.min(input.rendered ?? 8, input.responses.length);
  await tab.evaluate((questionnaire) => { window.__Q = questionnaire; }, input.questionnaire);
  // One page function does one answer set; it is called once per drawn set, and once
  // for all the others (one round trip).
  await tab.evaluate(() => {
    window.__one = async (response, draw) => {
      const questionnaire = window.__Q;
      try {
        const el = document.getElementById("form");
        let lhc;
        if (draw || !window.__FormData) {
          el.innerHTML = "";
          await LForms.Util.addFormToPage(questionnaire, el, {
            fhirVersion: "R4", prepopulate: false, questionnaireResponse: response });
          lhc = el.querySelector("wc-lhc-form").lhcFormData;
          window.__FormData = lhc.constructor;
        } else {
          const SDC = LForms.FHIR.R4.SDC;
          window.__F ??= SDC.convertQuestionnaireToLForms(structuredClone(questionnaire), {});
          const form = SDC.mergeQuestionnaireResponseToLForms(structuredClone(window.__F), response);
          lhc = new window.__FormData(form);
          await lhc.loadFHIRResources(false);
          if (lhc._hasResponsiveExpr || lhc._hasInitialExpr)
            await lhc._expressionProcessor.runCalculations(!lhc.hasSavedData);
          lhc._checkFormControls();
        }
        const enabled = [];
        // An item is enabled unless its skip logic, or an enclosing item's, disables it.
        const walk = (items) => {
          for (const item of items || []) {
            if (item._skipLogicStatus === "target-disabled") continue;
            enabled.push(item.linkId);
            walk(item.items);
          }
        };
        walk(lhc.items);
        const exported = LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", lhc);
        delete exported.authored;
        return { enabled, response: exported, drawn: draw };
      } catch (e) {
        return { error: String(e && e.stack || e) };
      }
    };
  });
  for (const response of input.responses.slice(0, rendered)) {
    results.push(await tab.evaluate((r) => window.__one(r, true), response));
    results.push(await tab.evaluate((r) => window.__one(r, false), response));
  }
  const rest = input.responses.slice(rendered);
  results.push(...await tab.evaluate(async (responses) => {
    const out = [];
    for (const r of responses) out.push(await window.__one(r, false));
    return out;
  }, rest));
  if (problems.length) results.push({ error: "page errors: " + problems.join("; ") });
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
writeFileSync(outputPath, JSON.stringify(results));
