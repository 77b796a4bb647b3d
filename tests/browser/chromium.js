// What the drivers of the HTML form share: Debian's Chromium started with
// no network, a downloads folder, typing into a field, the next file saved
// and axe-core's violations.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// puppeteer-core and axe-core from NODE_DIR (tests/node_packages.py).
function packages(nodeDir) {
  const load = createRequire(path.join(nodeDir, "package.json"));
  return { puppeteer: load("puppeteer-core"), axeSource: fs.readFileSync(load.resolve("axe-core/axe.min.js"), "utf8") };
}

async function launch(puppeteer, workDir) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir: path.join(workDir, "profil"),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-extensions",
      "--host-resolver-rules=MAP * ~NOTFOUND"],
  });
}

// The next file Chromium finishes saving as `name` into `dir` that is not
// `before`, or null after ten seconds.
async function nextDownload(dir, name, before) {
  const file = path.join(dir, name);
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, "utf8");
      if (text !== before) return text;
    }
    await sleep(50);
  }
  return null;
}

async function setValue(page, selector, value) {
  await page.$eval(selector, (node) => {
    node.value = "";
  });
  await page.focus(selector);
  await page.keyboard.sendCharacter(value);
}

async function axe(page, axeSource) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  });
}

module.exports = { sleep, packages, launch, nextDownload, setValue, axe };
