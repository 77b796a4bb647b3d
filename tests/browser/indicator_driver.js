// Drives the indicator fields of one actor's HTML form in Debian's Chromium:
// a decimal in a count is refused beside its field and nothing is saved;
// values typed the Swedish way are saved as YAML numbers with a comment;
// the saved file opened again fills the fields back. Writes what happened
// as JSON for tests/indicators_test.py to judge.
//
// Usage: node indicator_driver.js NODE_DIR FORM.html WORK_DIR RESULT.json
"use strict";

const fs = require("fs");
const path = require("path");
const { sleep, packages, launch, nextDownload, setValue, axe } = require("./chromium");

const [nodeDir, formPath, workDir, resultPath] = process.argv.slice(2);
const { puppeteer, axeSource } = packages(nodeDir);
const downloads = path.join(workDir, "hamtade");
fs.mkdirSync(downloads, { recursive: true });

async function main() {
  const result = { console: [] };
  const browser = await launch(puppeteer, workDir);
  try {
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warn") result.console.push(m.type() + ": " + m.text());
    });
    page.on("pageerror", (e) => result.console.push("pageerror: " + e.message));
    await page.goto("file://" + path.resolve(formPath), { waitUntil: "load" });
    result.shown = await page.evaluate(() => ({
      hidden: document.getElementById("indikatorer-avsnitt").hidden,
      legends: Array.from(document.querySelectorAll("#indikatorer legend")).map((n) => n.textContent),
      help: Array.from(document.querySelectorAll("#indikatorer .hjalp")).map((n) => n.textContent),
    }));
    await setValue(page, "#ind0-varde", "12,5");
    await page.click("#spara");
    await sleep(300);
    result.error = await page.$eval("#ind0-varde-fel", (n) => (n.hidden ? "" : n.textContent));
    result.saved_despite_error = fs.existsSync(path.join(downloads, "aneby.yaml"));
    await setValue(page, "#ind0-varde", "15");
    await setValue(page, "#ind1-varde", "47,5");
    await setValue(page, "#ind1-kommentar", "Ny rutin \"fråga alltid\".");
    await page.click("#spara");
    result.saved = await nextDownload(downloads, "aneby.yaml", null);
    const copy = path.join(workDir, "sparat.yaml");
    fs.writeFileSync(copy, result.saved || "");
    // Emptied, so that only the file can fill the fields again.
    for (const field of ["#ind0-varde", "#ind1-varde", "#ind1-kommentar"]) {
      await page.$eval(field, (node) => {
        node.value = "";
        node.dispatchEvent(new Event("input"));
      });
    }
    result.after_reset = await page.$eval("#ind0-varde", (n) => n.value);
    const input = await page.$("#oppna-fil");
    await input.uploadFile(copy);
    await sleep(500);
    result.after_open = await page.evaluate(() => [
      document.getElementById("ind0-varde").value,
      document.getElementById("ind1-varde").value,
      document.getElementById("ind1-kommentar").value,
    ]);
    result.axe = (await axe(page, axeSource)).map((v) => v.id);
  } finally {
    await browser.close();
  }
  fs.writeFileSync(resultPath, JSON.stringify(result, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
