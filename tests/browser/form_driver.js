// Drives one actor's HTML form in Debian's Chromium as the actor would use
// it, and writes what happened as JSON for tests/form_browser_test.py to
// judge: what the page showed, the files it saved, the accessibility
// violations axe-core found, and every console error and request.
//
// Usage: node form_driver.js NODE_DIR FORM.html WORK_DIR RESULT.json
"use strict";

const fs = require("fs");
const path = require("path");
const { sleep, packages, launch, nextDownload: downloaded, setValue, axe: violations } = require("./chromium");

const [nodeDir, formPath, workDir, resultPath] = process.argv.slice(2);
const { puppeteer, axeSource } = packages(nodeDir);

const downloads = path.join(workDir, "hamtade");
fs.mkdirSync(downloads, { recursive: true });

const nextDownload = (name, before) => downloaded(downloads, name, before);
const axe = (page) => violations(page, axeSource);

async function lastActivity(page) {
  return page.$$eval(".aktivitet", (nodes) => nodes[nodes.length - 1].id);
}

async function main() {
  const result = { console: [], requests: [], dialogs: [] };
  const browser = await launch(puppeteer, workDir);
  try {
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    const url = "file://" + path.resolve(formPath);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warn") result.console.push(m.type() + ": " + m.text());
    });
    page.on("pageerror", (e) => result.console.push("pageerror: " + e.message));
    page.on("request", (r) => {
      if (r.url() !== url && !r.url().startsWith("blob:")) result.requests.push(r.url());
    });
    page.on("dialog", async (d) => {
      result.dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });

    // Last year's hostile texts are text: no element came of them, no
    // script ran, and the field holds them exactly.
    result.hostile = await page.evaluate(() => {
      const hostile = document.querySelectorAll(".aktivitet")[1];
      return {
        title: document.title,
        images: document.querySelectorAll("img, iframe, svg, object").length,
        scripts: document.querySelectorAll("script").length,
        heading: hostile.querySelector("h3").textContent,
        rubrik: hostile.querySelector("input[type=text]").value,
        id: hostile.querySelector("input[id$='-id']").value,
        owners: Array.from(hostile.querySelectorAll("input[id*='-ansvariga-']:checked")).map((n) => n.value),
        beskrivning: hostile.querySelector("textarea").value,
        activities: document.querySelectorAll(".aktivitet").length,
      };
    });
    result.axe_start = await axe(page);

    // The carried-over activity: now done, with a new description.
    const carried = await page.$eval(".aktivitet", (n) => n.id);
    await page.select(`#${carried}-status`, "genomförd");
    await setValue(page, `#${carried}-beskrivning`, "Kartläggningen blev klar i maj.\nRapporten finns hos kommunen.\n");

    // A new activity, saved first without its goal and with a bad id on
    // the carried one: the errors are shown beside the fields and nothing
    // is saved.
    await page.click(`#${carried}-mer summary`);
    await setValue(page, `#${carried}-id`, "Fel id");
    await page.click("#lagg-till");
    const added = await lastActivity(page);
    result.focus_after_add = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.type("Föräldraskapsstöd \"Trygga barn\"");
    await page.select(`#${added}-status`, "planerad");
    await page.click("#spara");
    await sleep(300);
    result.errors_shown = await page.evaluate((id, carried) => ({
      summary: document.getElementById("sammanfattning").hidden ? null : document.getElementById("sammanfattning").textContent,
      goal: document.getElementById(id + "-mal-fel").textContent,
      id: document.getElementById(carried + "-id-fel").textContent,
      invalid: document.getElementById(carried + "-id").getAttribute("aria-invalid"),
      focused: document.activeElement.id,
    }), added, carried);
    result.saved_despite_errors = fs.existsSync(path.join(downloads, "aneby.yaml"));
    result.axe_errors = await axe(page);

    await setValue(page, `#${carried}-id`, "kartlaggning");
    await page.click(`#${added}-mal input[value="2:1"]`);
    await page.click(`#${added}-mal input[value="1:2"]`);
    await setValue(page, `#${added}-beskrivning`,
      "Gruppträffar för föräldrar, med \"citat\", ett \\ snedstreck\u2028och en radavgränsare.\n\n  Indraget stycke.");
    await page.click(`#${added}-samverkan summary`);
    await page.click(`#${added}-samverkan input[value="polisen"]`);
    await page.click(`#${added}-mer summary`);
    await page.click(`#${added}-omraden input[value="hedersvald"]`);
    await page.click(`#${added}-ansvariga input[value="eksjo"]`);
    await setValue(page, `#${added}-malgrupp`, "Föräldrar");
    await setValue(page, "#kontakt-namn", "Kim Kontakt");
    await setValue(page, "#kontakt-epost", "kim@aneby.example");
    await page.select("#styrdokument-status", "under-arbete");
    await setValue(page, "#styrdokument-beskrivning", "Handlingsplanen revideras.");
    await setValue(page, "#framgangsfaktorer", "Tydligt uppdrag.");
    await setValue(page, "#behov", "Utbildning: \"grundkurs\" # inte en kommentar");

    await page.click("#spara");
    result.saved = await nextDownload("aneby.yaml", null);
    result.message = await page.$eval("#meddelande", (n) => n.textContent);
    result.axe_filled = await axe(page);

    // Closing and opening the page again restores the draft.
    await page.reload({ waitUntil: "load" });
    result.after_reload = await page.evaluate(() => ({
      activities: Array.from(document.querySelectorAll(".aktivitet h3")).map((h) => h.textContent),
      notice: document.getElementById("utkast").hidden ? null : document.getElementById("utkast").textContent,
      contact: document.getElementById("kontakt-namn").value,
    }));

    // Starting over gives the form as it came, and opening the saved file
    // gives back everything in it: saved again, it is the same file.
    await page.click("#borja-om");
    result.after_reset = await page.$$eval(".aktivitet", (n) => n.length);
    const savedCopy = path.join(workDir, "sparat.yaml");
    fs.writeFileSync(savedCopy, result.saved || "");
    const input = await page.$("#oppna-fil");
    await input.uploadFile(savedCopy);
    await page.waitForFunction(() => /Läste in/.test(document.getElementById("meddelande").textContent), { timeout: 5000 });
    result.after_open = await page.evaluate(() => ({
      activities: Array.from(document.querySelectorAll(".aktivitet h3")).map((h) => h.textContent),
      contact: document.getElementById("kontakt-epost").value,
    }));
    fs.renameSync(path.join(downloads, "aneby.yaml"), path.join(workDir, "forsta.yaml"));
    await page.click("#spara");
    result.saved_again = await nextDownload("aneby.yaml", null);

    // Another actor's statement is refused with a message, and the form
    // keeps what it had.
    const other = path.join(workDir, "polisen.yaml");
    fs.writeFileSync(other, (result.saved || "").replace('aktör: "aneby"', 'aktör: "polisen"'));
    await input.uploadFile(other);
    await page.waitForFunction(() => !document.getElementById("oppna-fel").hidden, { timeout: 5000 });
    result.wrong_actor = await page.$eval("#oppna-fel", (n) => n.textContent);
    const broken = path.join(workDir, "trasig.yaml");
    fs.writeFileSync(broken, "aktör: aneby\når: 2023\naktiviteter:\n  - rubrik: \"utan slut\n");
    await page.evaluate(() => {
      document.getElementById("oppna-fel").hidden = true;
    });
    await input.uploadFile(broken);
    await page.waitForFunction(() => !document.getElementById("oppna-fel").hidden, { timeout: 5000 });
    result.broken = await page.$eval("#oppna-fel", (n) => n.textContent);
    result.kept = await page.$$eval(".aktivitet", (n) => n.length);

    // Pasting works as opening a file does.
    await page.click("#oppna-rubrik ~ details summary");
    await page.$eval("#klistra-text", (n, text) => {
      n.value = text;
    }, result.saved || "");
    await page.click("#klistra-las");
    result.pasted = await page.$eval("#meddelande", (n) => n.textContent);
    result.axe_end = await axe(page);
  } finally {
    await browser.close();
  }
  fs.writeFileSync(resultPath, JSON.stringify(result, null, 2));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
