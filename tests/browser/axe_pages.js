// Opens each given HTML page in Debian's Chromium at a desktop and a phone
// width and runs axe-core's WCAG 2.1 A and AA rules on it; writes the
// violations per page and width as JSON for tests/axe_test.py to judge.
//
// Usage: node axe_pages.js NODE_DIR RESULT.json PAGE.html...
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [nodeDir, resultPath, ...pages] = process.argv.slice(2);
const load = createRequire(path.join(nodeDir, "package.json"));
const puppeteer = load("puppeteer-core");
const axeSource = fs.readFileSync(load.resolve("axe-core/axe.min.js"), "utf8");

// A phone is where tables and the heat map change shape.
const WIDTHS = [1280, 390];
const RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-extensions",
      "--host-resolver-rules=MAP * ~NOTFOUND"],
  });
  const result = {};
  try {
    const page = await browser.newPage();
    for (const file of pages) {
      for (const width of WIDTHS) {
        await page.setViewport({ width, height: 900 });
        await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { runOnly: { type: "tag", values: tags } });
          return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
        }, RULES);
        result[`${file} @ ${width}px`] = violations;
      }
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(resultPath, JSON.stringify(result, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
