// Loads an HTML report in headless Chromium and measures what a reader gets:
// the layout at 1000 and 390 px wide (with screenshots), an axe-core accessibility
// check (WCAG 2.1 A/AA and best practice), and the print styles, then prints JSON.
//
//   node report_check.mjs CHROMIUM REPORT.html OUTDIR
//
// The report is opened from a file: nothing leaves the machine (its CSP forbids loads).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const [chromium, reportPath, outDir] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");

const profile = mkdtempSync(join(tmpdir(), "iopguide-report-"));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { widths: {}, screenshots: [], requests: [] };
try {
  const page = await browser.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) out.requests.push(request.url());
  });
  // axe is injected by the test, not by the report (whose CSP allows no script).
  await page.setBypassCSP(true);
  await page.goto(pathToFileURL(reportPath).href, { waitUntil: "load" });
  for (const width of [1000, 390]) {
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    out.widths[width] = await page.evaluate(() => {
      const root = document.documentElement;
      const limit = root.clientWidth;
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
      const chart = document.querySelector("svg");
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: limit,
        bodyScrollWidth: document.body.scrollWidth,
        overflowing: wide.slice(0, 10),
        chartRight: chart ? chart.getBoundingClientRect().right : null,
      };
    });
    const shot = join(outDir, `report-${width}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    out.screenshots.push(shot);
  }
  await page.setViewport({ width: 1000, height: 900 });
  await page.addScriptTag({ content: axeSource });
  out.axe = await page.evaluate(async () => {
    const found = await window.axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
      resultTypes: ["violations"],
    });
    return {
      version: window.axe.version,
      violations: found.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        tags: v.tags,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      })),
      passes: found.passes.length,
    };
  });
  await page.emulateMediaType("print");
  out.print = await page.evaluate(() => {
    const style = (selector) => {
      const el = document.querySelector(selector);
      return el ? getComputedStyle(el) : null;
    };
    return {
      h2BreakAfter: style("h2")?.breakAfter,
      theadDisplay: style("thead")?.display,
      trBreakInside: style("tbody tr")?.breakInside,
      safetyBreakInside: style(".safety")?.breakInside ?? null,
    };
  });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const text = Buffer.from(pdf).toString("latin1");
  out.pdfPages = (text.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  out.pdfBytes = pdf.length;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
