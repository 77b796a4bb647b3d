/* The statement form's behaviour (formular.html.mustache): the statement
   as a form, checked as `lagesrapport check` checks it, kept in the
   browser's local storage while the actor works, and saved as the YAML
   file the Länsstyrelse reads. Everything shown comes from the embedded
   JSON and is set as text, never parsed as HTML; the page makes no
   requests. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("formular-data").textContent);
  var storageKey = "lagesrapport:" + data.region + ":" + data.ar + ":" + data.aktor.id;
  var ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var state = null;
  var nextKey = 1;

  /* ---- small helpers --------------------------------------------------- */

  function byId(id) {
    return document.getElementById(id);
  }

  /* An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function say(text) {
    byId("meddelande").textContent = text;
  }

  var goalIds = [];
  var goalLabels = {};
  data.strategi.mal.forEach(function (goal) {
    if (!goal.delmal.length) {
      goalIds.push(goal.id);
      goalLabels[goal.id] = "Mål " + goal.id + ": " + goal.namn;
    }
    goal.delmal.forEach(function (sub) {
      goalIds.push(sub.id);
      goalLabels[sub.id] = sub.id + " " + sub.text;
    });
  });
  var goalWithSubgoals = {};
  data.strategi.mal.forEach(function (goal) {
    if (goal.delmal.length) goalWithSubgoals[goal.id] = goal;
  });
  var actorNames = {};
  data.aktorer.forEach(function (a) {
    actorNames[a.id] = a.namn;
  });
  var areaNames = {};
  data.strategi.omraden.forEach(function (a) {
    areaNames[a.id] = a.namn;
  });
  var statusIds = data.statusar.map(function (s) {
    return s.id;
  });
  var planStatusIds = data.styrdokument_statusar.map(function (s) {
    return s.id;
  });

  /* ---- the statement as the page keeps it ---------------------------- */

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function list(value) {
    if (value === null || value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(text);
  }

  function activityState(a, carried) {
    return {
      key: nextKey++,
      id: text(a.id),
      rubrik: text(a.rubrik),
      mal: list(a.mal),
      ansvariga: list(a.ansvariga),
      status: text(a.status),
      beskrivning: text(a.beskrivning),
      omraden: list(a.omraden),
      samverkan: list(a.samverkan),
      malgrupp: text(a.malgrupp),
      intern: a.intern === true,
      carried: carried
    };
  }

  /* Each indicator the actor reports, as the text typed: a value read
     from a file is a number, {värde, kommentar}, or from the page's own
     data {varde, kommentar}. */
  function indicatorState(values) {
    var out = {};
    values = isMap(values) ? values : {};
    data.indikatorer.forEach(function (ind) {
      var v = values[ind.id];
      if (isMap(v)) out[ind.id] = { varde: text(v["värde"] !== undefined ? v["värde"] : v.varde), kommentar: text(v.kommentar) };
      else out[ind.id] = { varde: text(v), kommentar: "" };
    });
    return out;
  }

  function statementState(y, carried) {
    var kontakt = y.kontakt || {};
    var plan = y.styrdokument || {};
    return {
      indikatorer: indicatorState(y.indikatorer),
      kontakt: { namn: text(kontakt.namn), epost: text(kontakt.epost) },
      styrdokument: { status: text(plan.status), beskrivning: text(plan.beskrivning) },
      aktiviteter: (y.aktiviteter || []).map(function (a) {
        return activityState(a, carried);
      }),
      framgangsfaktorer: text(y.framgangsfaktorer),
      utmaningar: text(y.utmaningar),
      behov: text(y.behov)
    };
  }

  /* ---- local storage --------------------------------------------------- */

  var storageWorks = true;

  function store() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ format: 1, yttrande: state }));
    } catch (e) {
      if (storageWorks) say("Webbläsaren sparar inte det ni skriver. Spara yttrandet som fil innan ni stänger sidan.");
      storageWorks = false;
    }
  }

  /* The draft of an earlier visit, or null. Activities keep whether they
     were carried over from the year before. */
  function restored() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (!saved || saved.format !== 1 || !isMap(saved.yttrande)) return null;
      var y = saved.yttrande, draft = statementState(y, false);
      draft.indikatorer = indicatorState(y.indikatorer);
      draft.aktiviteter = (Array.isArray(y.aktiviteter) ? y.aktiviteter : []).map(function (a) {
        return activityState(a, a.carried === true);
      });
      return draft;
    } catch (e) {
      return null;
    }
  }

  /* ---- the fields outside the activities ------------------------------ */

  var plainFields = [
    ["kontakt-namn", function () { return state.kontakt; }, "namn"],
    ["kontakt-epost", function () { return state.kontakt; }, "epost"],
    ["styrdokument-status", function () { return state.styrdokument; }, "status"],
    ["styrdokument-beskrivning", function () { return state.styrdokument; }, "beskrivning"],
    ["framgangsfaktorer", function () { return state; }, "framgangsfaktorer"],
    ["utmaningar", function () { return state; }, "utmaningar"],
    ["behov", function () { return state; }, "behov"]
  ];

  function fillPlanStatuses() {
    var select = byId("styrdokument-status");
    select.appendChild(el("option", { value: "", text: "Inte angivet" }));
    data.styrdokument_statusar.forEach(function (s) {
      select.appendChild(el("option", { value: s.id, text: s.namn }));
    });
  }

  function showPlainFields() {
    plainFields.forEach(function (f) {
      byId(f[0]).value = f[1]()[f[2]];
    });
    var select = byId("styrdokument-status");
    if (select.value !== state.styrdokument.status) {
      /* A status the form does not offer stays, so that nothing read is lost. */
      select.appendChild(el("option", { value: state.styrdokument.status, text: state.styrdokument.status }));
      select.value = state.styrdokument.status;
    }
  }

  plainFields.forEach(function (f) {
    var input = byId(f[0]);
    var update = function () {
      f[1]()[f[2]] = input.value;
      store();
    };
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });

  /* ---- activities ------------------------------------------------------ */

  function checkboxList(prefix, options, chosen, onChange) {
    var box = el("div", { class: "valen" });
    options.forEach(function (option, i) {
      var id = prefix + "-" + i;
      var input = el("input", { type: "checkbox", id: id, value: option.id });
      input.checked = chosen.indexOf(option.id) >= 0;
      input.addEventListener("change", function () {
        onChange(option.id, input.checked);
      });
      box.appendChild(el("div", { class: "val" }, [input, el("label", { for: id, text: option.label })]));
    });
    return box;
  }

  /* Keeps the order the ids were chosen in: the first goal is the main one. */
  function toggle(ids, id, on) {
    var at = ids.indexOf(id);
    if (on && at < 0) ids.push(id);
    if (!on && at >= 0) ids.splice(at, 1);
  }

  function unknownOptions(chosen, known, label) {
    return chosen.filter(function (id) {
      return known.indexOf(id) < 0;
    }).map(function (id) {
      return { id: id, label: label(id) };
    });
  }

  function field(idBase, labelText, input, help) {
    var children = [el("label", { for: idBase, text: labelText }), input];
    var described = [];
    if (help) {
      children.push(el("p", { class: "hjalp", id: idBase + "-hjalp", text: help }));
      described.push(idBase + "-hjalp");
    }
    children.push(el("p", { class: "fel", id: idBase + "-fel", hidden: true }));
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    return el("div", { class: "falt" }, children);
  }

  function chosenSummary(base, count) {
    return count ? base + " (" + count + " " + (count === 1 ? "vald" : "valda") + ")" : base;
  }

  function activityHeading(a, number) {
    return "Aktivitet " + number + (a.rubrik.trim() ? ": " + a.rubrik.trim() : "");
  }

  function renderActivity(a, number) {
    var base = "akt" + a.key;
    var heading = el("h3", { id: base + "-rubrik-h", text: activityHeading(a, number) });
    var section = el("section", { class: "aktivitet", id: base, "aria-labelledby": base + "-rubrik-h" }, [heading]);
    if (a.carried)
      section.appendChild(el("p", { class: "fran-forra", text: "Från " + (data.ar - 1) + ": uppdatera status och beskrivning." }));

    var title = el("input", { type: "text", id: base + "-rubrik" });
    title.value = a.rubrik;
    title.addEventListener("input", function () {
      a.rubrik = title.value;
      heading.textContent = activityHeading(a, number);
      store();
    });
    section.appendChild(field(base + "-rubrik", "Rubrik", title));

    var status = el("select", { id: base + "-status" });
    status.appendChild(el("option", { value: "", text: "Välj status" }));
    data.statusar.forEach(function (s) {
      status.appendChild(el("option", { value: s.id, text: s.namn }));
    });
    if (a.status && statusIds.indexOf(a.status) < 0) status.appendChild(el("option", { value: a.status, text: a.status }));
    status.value = a.status;
    status.addEventListener("change", function () {
      a.status = status.value;
      store();
    });
    section.appendChild(field(base + "-status", "Status", status));

    var goals = el("fieldset", { id: base + "-mal", "aria-describedby": base + "-mal-fel" }, [el("legend", { text: "Mål och delmål" })]);
    var onGoal = function (id, on) {
      toggle(a.mal, id, on);
      store();
    };
    var goalNumber = 0;
    data.strategi.mal.forEach(function (goal) {
      var options = goal.delmal.length
        ? goal.delmal.map(function (sub) { return { id: sub.id, label: sub.id + " " + sub.text }; })
        : [{ id: goal.id, label: "Mål " + goal.id + " som helhet" }];
      var group = el("fieldset", {}, [el("legend", { text: "Mål " + goal.id + ": " + goal.namn })]);
      group.appendChild(checkboxList(base + "-mal-" + goalNumber++, options, a.mal, onGoal));
      goals.appendChild(group);
    });
    var extra = unknownOptions(a.mal, goalIds, function (id) {
      return goalWithSubgoals[id] ? "Mål " + id + " som helhet (välj hellre ett delmål)" : id + " (finns inte i strategin)";
    });
    if (extra.length) goals.appendChild(checkboxList(base + "-mal-x", extra, a.mal, onGoal));
    goals.appendChild(el("p", { class: "fel", id: base + "-mal-fel", hidden: true }));
    section.appendChild(goals);

    var description = el("textarea", { id: base + "-beskrivning", rows: 5 });
    description.value = a.beskrivning;
    description.addEventListener("input", function () {
      a.beskrivning = description.value;
      store();
    });
    section.appendChild(field(base + "-beskrivning", "Beskrivning", description,
      "Vad som görs, för vem, tillsammans med vilka och med vilket resultat."));

    var others = data.aktorer.filter(function (actor) {
      return actor.id !== data.aktor.id;
    }).map(function (actor) {
      return { id: actor.id, label: actor.namn };
    });
    var actorIds = data.aktorer.map(function (actor) { return actor.id; });
    var unknownActor = function (id) { return id + " (finns inte i aktörsregistret)"; };

    var partnerSummary = el("summary", { text: chosenSummary("Samverkan med andra aktörer", a.samverkan.length) });
    var partners = el("details", { id: base + "-samverkan" }, [partnerSummary]);
    var partnerOptions = others.concat(unknownOptions(a.samverkan, actorIds, unknownActor));
    partners.appendChild(el("fieldset", {}, [el("legend", { text: "Aktörer som ni samverkar med i aktiviteten" }),
      checkboxList(base + "-samverkan", partnerOptions, a.samverkan, function (id, on) {
        toggle(a.samverkan, id, on);
        partnerSummary.textContent = chosenSummary("Samverkan med andra aktörer", a.samverkan.length);
        store();
      })]));
    partners.appendChild(el("p", { class: "fel", id: base + "-samverkan-fel", hidden: true }));
    section.appendChild(partners);

    var more = el("details", { id: base + "-mer" }, [el("summary", { text: "Fler uppgifter" })]);
    if (data.strategi.omraden.length) {
      var areaOptions = data.strategi.omraden.map(function (area) {
        return { id: area.id, label: area.namn };
      }).concat(unknownOptions(a.omraden, Object.keys(areaNames), function (id) {
        return id + " (finns inte i strategin)";
      }));
      more.appendChild(el("fieldset", { id: base + "-omraden" }, [el("legend", { text: "Våldsformer som aktiviteten gäller" }),
        checkboxList(base + "-omraden", areaOptions, a.omraden, function (id, on) {
          toggle(a.omraden, id, on);
          store();
        }), el("p", { class: "fel", id: base + "-omraden-fel", hidden: true })]));
    }
    var audience = el("input", { type: "text", id: base + "-malgrupp" });
    audience.value = a.malgrupp;
    audience.addEventListener("input", function () {
      a.malgrupp = audience.value;
      store();
    });
    more.appendChild(field(base + "-malgrupp", "Målgrupp", audience, "Till exempel: personal i förskolan."));
    var internal = el("input", { type: "checkbox", id: base + "-intern" });
    internal.checked = a.intern;
    internal.addEventListener("change", function () {
      a.intern = internal.checked;
      store();
    });
    more.appendChild(el("div", { class: "val" }, [internal, el("label", {
      for: base + "-intern",
      text: "Intern: visas bara i er egen återkoppling och publiceras inte i rapporten"
    })]));
    var owners = el("fieldset", { id: base + "-ansvariga" }, [el("legend", { text: "Ansvariga tillsammans med " + data.aktor.namn })]);
    owners.appendChild(el("p", { class: "hjalp", text: "Välj de aktörer som äger aktiviteten tillsammans med er. Den redovisas då en gång, med alla som ansvariga." }));
    owners.appendChild(checkboxList(base + "-ansvariga", others.concat(unknownOptions(a.ansvariga, actorIds, unknownActor)), a.ansvariga,
      function (id, on) {
        toggle(a.ansvariga, id, on);
        store();
      }));
    owners.appendChild(el("p", { class: "fel", id: base + "-ansvariga-fel", hidden: true }));
    more.appendChild(owners);
    var ident = el("input", { type: "text", id: base + "-id", spellcheck: "false" });
    ident.value = a.id;
    ident.addEventListener("input", function () {
      a.id = ident.value;
      store();
    });
    more.appendChild(field(base + "-id", "Id", ident,
      "Ett kort namn som följer aktiviteten från år till år, till exempel forum-kvinnofrid. Lämnas det tomt skapas det av rubriken."));
    section.appendChild(more);

    var remove = el("button", { type: "button", class: "ta-bort", text: "Ta bort aktivitet " + number });
    remove.addEventListener("click", function () {
      var at = state.aktiviteter.indexOf(a);
      if (at >= 0) state.aktiviteter.splice(at, 1);
      store();
      renderActivities();
      say("Aktivitet " + number + (a.rubrik.trim() ? ", " + a.rubrik.trim() + "," : "") + " togs bort.");
      byId("lagg-till").focus();
    });
    section.appendChild(el("p", {}, [remove]));
    return section;
  }

  function renderActivities() {
    var box = byId("aktiviteter");
    clear(box);
    if (!state.aktiviteter.length)
      box.appendChild(el("p", { text: "Inga aktiviteter ännu. Lägg till en med knappen nedan." }));
    state.aktiviteter.forEach(function (a, i) {
      box.appendChild(renderActivity(a, i + 1));
    });
  }

  /* ---- indicators ------------------------------------------------------ */

  function renderIndicators() {
    var box = byId("indikatorer");
    clear(box);
    byId("indikatorer-avsnitt").hidden = !data.indikatorer.length;
    data.indikatorer.forEach(function (ind, i) {
      var base = "ind" + i, value = state.indikatorer[ind.id];
      var input = el("input", { id: base + "-varde", type: "text", inputmode: "decimal", autocomplete: "off",
        "aria-describedby": base + "-hjalp" });
      input.value = value.varde;
      input.addEventListener("input", function () {
        value.varde = input.value;
        store();
      });
      var comment = el("input", { id: base + "-kommentar", type: "text" });
      comment.value = value.kommentar;
      comment.addEventListener("input", function () {
        value.kommentar = comment.value;
        store();
      });
      var help = ind.andel ? "Procent, 0–100." : ind.heltal ? "Ett heltal." : "Ett tal, i " + ind.enhet + ".";
      if (ind.fore !== undefined) help += " Förra året: " + ind.fore.replace(".", ",") + ".";
      box.appendChild(el("fieldset", { class: "indikator" }, [
        el("legend", { text: ind.namn + " (" + ind.enhet + ")" }),
        el("div", { class: "falt" }, [
          el("label", { for: base + "-varde", text: "Värde för " + data.ar }),
          input,
          el("p", { class: "hjalp", id: base + "-hjalp", text: help }),
          el("p", { class: "fel", id: base + "-varde-fel", hidden: true })
        ]),
        el("div", { class: "falt" }, [
          el("label", { for: base + "-kommentar", text: "Kommentar (frivillig)" }),
          comment
        ])
      ]));
    });
  }

  /* The value as the program reads it ("37,5" is typed as often as
     "37.5"), or null when it is not a number. */
  function indicatorNumber(s) {
    var t = s.trim().replace(/\s+/g, "").replace(",", ".");
    return /^[0-9]+(\.[0-9]+)?$/.test(t) ? t : null;
  }

  function render() {
    showPlainFields();
    renderActivities();
    renderIndicators();
  }

  byId("lagg-till").addEventListener("click", function () {
    var a = activityState({}, false);
    state.aktiviteter.push(a);
    store();
    renderActivities();
    byId("akt" + a.key + "-rubrik").focus();
  });

  /* ---- checking, as `lagesrapport check` does ------------------------- */

  /* Characters the program refuses in a text: controls other than a line
     break or a tab (and those too in a one-line field). */
  function cleanLine(s) {
    return s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  }

  function cleanText(s) {
    return s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
  }

  function blank(s) {
    return !/\S/.test(s);
  }

  var ATEXT = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]$/;

  /* The program's rule for an address: a dot-atom local part of at most 64
     characters, and a host name of two or more labels (or localhost). */
  function isAddress(s) {
    var at = s.indexOf("@");
    if (at <= 0 || at > 64 || s.length > 254) return false;
    var local = s.slice(0, at), host = s.slice(at + 1);
    if (local[0] === "." || local[local.length - 1] === "." || local.indexOf("..") >= 0) return false;
    for (var i = 0; i < local.length; i++)
      if (local[i] !== "." && !ATEXT.test(local[i])) return false;
    if (!host || host.length > 253) return false;
    var labels = host.split(".");
    for (var k = 0; k < labels.length; k++) {
      var l = labels[k];
      if (!l.length || l.length > 63 || l[0] === "-" || l[l.length - 1] === "-" || !/^[A-Za-z0-9-]+$/.test(l)) return false;
    }
    return labels.length >= 2 || host.toLowerCase() === "localhost";
  }

  var PLAIN_LETTERS = { "å": "a", "ä": "a", "à": "a", "á": "a", "â": "a", "ö": "o", "ø": "o", "ó": "o",
    "ò": "o", "é": "e", "è": "e", "ê": "e", "ë": "e", "ü": "u", "í": "i", "ç": "c" };

  /* An id made from a heading as the program makes one (lr_activity_slug):
     letters as typed without marks, anything else a single hyphen. */
  function slug(s) {
    var out = "";
    Array.from(s.toLowerCase()).forEach(function (ch) {
      if (out.length >= 40) return;
      var c = /^[a-z0-9]$/.test(ch) ? ch : PLAIN_LETTERS[ch];
      if (c) out += c;
      else if (out && out[out.length - 1] !== "-") out += "-";
    });
    return out.replace(/-+$/, "") || "aktivitet";
  }

  /* Ids for activities that need one and have none: made from the heading,
     unique among the statement's. */
  function fillIds() {
    var used = {};
    state.aktiviteter.forEach(function (a) {
      if (a.id.trim()) used[a.id.trim()] = true;
    });
    state.aktiviteter.forEach(function (a) {
      if (a.id.trim() || blank(a.rubrik)) return;
      var base = slug(a.rubrik), id = base;
      for (var n = 2; used[id]; n++) id = base + "-" + n;
      used[id] = true;
      a.id = id;
      var input = byId("akt" + a.key + "-id");
      if (input) input.value = id;
    });
  }

  function check() {
    var errors = [];
    var add = function (fieldId, message) {
      errors.push({ field: fieldId, message: message });
    };
    var email = cleanLine(state.kontakt.epost);
    if (email && !isAddress(email))
      add("kontakt-epost", "Skriv en giltig e-postadress, bara adressen, till exempel namn@kommun.se.");
    var plan = state.styrdokument;
    if (!plan.status && !blank(plan.beskrivning))
      add("styrdokument-status", "Välj en status för styrdokumentet, eller töm beskrivningen.");
    else if (plan.status && planStatusIds.indexOf(plan.status) < 0)
      add("styrdokument-status", "Okänd status för styrdokumentet. Välj en i listan.");
    data.indikatorer.forEach(function (ind, i) {
      var typed = state.indikatorer[ind.id].varde.trim();
      if (!typed) return;
      var n = indicatorNumber(typed), field = "ind" + i + "-varde";
      if (n === null) add(field, "Skriv bara siffror, till exempel 12 eller 37,5.");
      else if (ind.heltal && n.indexOf(".") >= 0) add(field, "Räknas i " + ind.enhet + " och kan inte ha decimaler.");
      else if (ind.andel && Number(n) > 100) add(field, "En andel i procent kan inte vara över 100.");
    });
    var ids = {};
    state.aktiviteter.forEach(function (a, i) {
      var base = "akt" + a.key, n = i + 1;
      if (blank(a.rubrik)) add(base + "-rubrik", "Aktivitet " + n + " behöver en rubrik.");
      if (!a.mal.length) add(base + "-mal", "Välj minst ett mål eller delmål för aktivitet " + n + ".");
      a.mal.forEach(function (id) {
        if (goalIds.indexOf(id) < 0 && !goalWithSubgoals[id])
          add(base + "-mal", "Målet " + id + " finns inte i strategin. Välj bort det och välj bland strategins mål.");
      });
      if (!a.status) add(base + "-status", "Välj status för aktivitet " + n + ".");
      else if (statusIds.indexOf(a.status) < 0) add(base + "-status", "Okänd status \"" + a.status + "\". Välj en i listan.");
      a.samverkan.forEach(function (id) {
        if (!actorNames[id]) add(base + "-samverkan", "Aktören " + id + " finns inte i aktörsregistret. Välj bort den.");
      });
      a.omraden.forEach(function (id) {
        if (!areaNames[id]) add(base + "-omraden", "Våldsformen " + id + " finns inte i strategin. Välj bort den.");
      });
      a.ansvariga.forEach(function (id) {
        if (!actorNames[id]) add(base + "-ansvariga", "Aktören " + id + " finns inte i aktörsregistret. Välj bort den.");
      });
      var id = a.id.trim();
      if (id && !ID_PATTERN.test(id))
        add(base + "-id", "Id får bara ha små bokstäver a–z, siffror och bindestreck mellan dem, till exempel forum-kvinnofrid.");
      else if (id && ids[id])
        add(base + "-id", "Id " + id + " används redan av aktivitet " + ids[id] + ". Välj ett annat.");
      else if (id) ids[id] = n;
    });
    return errors;
  }

  function clearErrors() {
    Array.prototype.forEach.call(document.querySelectorAll(".fel"), function (p) {
      if (p.id === "oppna-fel") return;
      p.textContent = "";
      p.hidden = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".varning"), function (node) {
      node.parentNode.removeChild(node);
    });
    var summary = byId("sammanfattning");
    clear(summary);
    summary.hidden = true;
  }

  function focusField(fieldId) {
    var node = byId(fieldId);
    if (!node) return;
    var details = node.closest("details");
    if (details) details.open = true;
    if (node.tagName === "FIELDSET" || node.tagName === "DETAILS") {
      var input = node.querySelector("input, select, textarea");
      if (input) node = input;
    }
    node.focus();
  }

  function showErrors(errors) {
    errors.forEach(function (e) {
      var p = byId(e.field + "-fel");
      if (p) {
        p.textContent = p.textContent ? p.textContent + " " + e.message : e.message;
        p.hidden = false;
      }
      var node = byId(e.field);
      if (node) {
        if (node.tagName !== "FIELDSET" && node.tagName !== "DETAILS") node.setAttribute("aria-invalid", "true");
        var described = (node.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (described.indexOf(e.field + "-fel") < 0) described.push(e.field + "-fel");
        node.setAttribute("aria-describedby", described.join(" "));
        var details = node.closest("details");
        if (details) details.open = true;
      }
    });
    var summary = byId("sammanfattning");
    summary.appendChild(el("h2", { text: errors.length === 1 ? "Formuläret har ett fel" : "Formuläret har " + errors.length + " fel" }));
    summary.appendChild(el("p", { text: "Yttrandet sparades inte. Rätta det som står nedan och tryck på Spara yttrande igen." }));
    var items = el("ul");
    errors.forEach(function (e) {
      var link = el("a", { href: "#" + e.field, text: e.message });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusField(e.field);
      });
      items.appendChild(el("li", {}, [link]));
    });
    summary.appendChild(items);
    summary.hidden = false;
    summary.focus();
  }

  /* The program accepts an activity without a description but warns; so
     does the form, beside the field, without stopping the save. */
  function showWarnings() {
    state.aktiviteter.forEach(function (a) {
      if (!blank(a.beskrivning)) return;
      var input = byId("akt" + a.key + "-beskrivning");
      if (input) input.parentNode.appendChild(el("p", { class: "varning", text: "Beskriv gärna kort vad som görs; rapporten citerar beskrivningen." }));
    });
  }

  /* ---- the YAML file --------------------------------------------------- */

  var NAMED_ESCAPES = { 0: "\\0", 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 27: "\\e" };

  function hex(n, width) {
    var s = n.toString(16).toUpperCase();
    while (s.length < width) s = "0" + s;
    return s;
  }

  /* A YAML double-quoted scalar that reads back as exactly s: every
     character a reader could take for a line break, or would refuse or
     drop, is escaped. */
  function quoted(s) {
    var out = "\"";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var low = s.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += s[i] + s[i + 1];
          i++;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) out += "\ufffd";
      else if (c === 34) out += "\\\"";
      else if (c === 92) out += "\\\\";
      else if (NAMED_ESCAPES[c]) out += NAMED_ESCAPES[c];
      else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += "\\x" + hex(c, 2);
      else if (c === 0x2028) out += "\\L";
      else if (c === 0x2029) out += "\\P";
      else if (c === 0xfeff || c === 0xfffe || c === 0xffff) out += "\\u" + hex(c, 4);
      else out += s[i];
    }
    return out + "\"";
  }

  /* Whether s reads back exactly from a literal block scalar: several
     lines, a first line that sets the indentation, no line of spaces only,
     nothing that needs an escape, and at most one line break at the end. */
  function fitsBlock(s) {
    if (s.length < 2 || s.indexOf("\n") < 0 || s[0] === " " || s[0] === "\n") return false;
    if (/\n\n$/.test(s)) return false;
    if (/[\t\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/.test(s)) return false;
    return !s.split("\n").some(function (line) {
      return line.length > 0 && /^ +$/.test(line);
    });
  }

  function scalar(s, indent) {
    if (!fitsBlock(s)) return quoted(s);
    var clip = s[s.length - 1] === "\n";
    var body = clip ? s.slice(0, -1) : s;
    var pad = new Array(indent + 1).join(" ");
    return (clip ? "|" : "|-") + body.split("\n").map(function (line) {
      return "\n" + (line ? pad + line : "");
    }).join("");
  }

  function flowList(ids) {
    return "[" + ids.map(quoted).join(", ") + "]";
  }

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function savedDate() {
    var d = new Date();
    return d.getFullYear() + "-" + twoDigits(d.getMonth() + 1) + "-" + twoDigits(d.getDate());
  }

  function toYaml() {
    var lines = [];
    var put = function (line) {
      lines.push(line);
    };
    put("# Yttrande " + data.ar + " från " + cleanLine(data.aktor.namn) + ", sparat från formuläret.");
    put("# Skicka filen till " + cleanLine(data.lansstyrelse) + ".");
    put("aktör: " + quoted(data.aktor.id));
    put("år: " + data.ar);
    put("inkom: " + savedDate());
    var name = cleanLine(state.kontakt.namn), email = cleanLine(state.kontakt.epost);
    if (name || email) {
      put("kontakt:");
      if (name) put("  namn: " + quoted(name));
      if (email) put("  epost: " + quoted(email));
    }
    var plan = state.styrdokument, planText = cleanText(plan.beskrivning);
    if (plan.status) {
      put("styrdokument:");
      put("  status: " + quoted(plan.status));
      if (!blank(planText)) put("  beskrivning: " + scalar(planText, 4));
    }
    if (!state.aktiviteter.length) put("aktiviteter: []");
    else put("aktiviteter:");
    state.aktiviteter.forEach(function (a) {
      var first = true;
      var key = function (name, value) {
        put((first ? "  - " : "    ") + name + ": " + value);
        first = false;
      };
      if (a.id.trim()) key("id", quoted(a.id.trim()));
      key("rubrik", quoted(cleanLine(a.rubrik)));
      key("mål", flowList(a.mal));
      if (a.ansvariga.length) key("ansvariga", flowList(a.ansvariga));
      key("status", quoted(a.status));
      var description = cleanText(a.beskrivning);
      if (!blank(description)) key("beskrivning", scalar(description, 6));
      if (a.omraden.length) key("områden", flowList(a.omraden));
      if (a.samverkan.length) key("samverkan", flowList(a.samverkan));
      var audience = cleanLine(a.malgrupp);
      if (audience) key("målgrupp", quoted(audience));
      if (a.intern) key("intern", "true");
    });
    [["framgångsfaktorer", "framgangsfaktorer"], ["utmaningar", "utmaningar"], ["behov", "behov"]].forEach(function (k) {
      var value = cleanText(state[k[1]]);
      if (!blank(value)) put(k[0] + ": " + scalar(value, 2));
    });
    var given = data.indikatorer.filter(function (ind) {
      return indicatorNumber(state.indikatorer[ind.id].varde) !== null;
    });
    if (given.length) put("indikatorer:");
    given.forEach(function (ind) {
      var v = state.indikatorer[ind.id], n = indicatorNumber(v.varde), note = cleanLine(v.kommentar);
      put("  " + ind.id + ": " + (note ? "{värde: " + n + ", kommentar: " + quoted(note) + "}" : n));
    });
    return lines.join("\n") + "\n";
  }

  function download(name, content) {
    var blob = new Blob([content], { type: "application/x-yaml;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  byId("spara").addEventListener("click", function () {
    clearErrors();
    fillIds();
    var errors = check();
    if (errors.length) {
      say("");
      showErrors(errors);
      return;
    }
    showWarnings();
    store();
    download(data.aktor.id + ".yaml", toYaml());
    say("Yttrandet sparades som " + data.aktor.id + ".yaml i mappen för hämtade filer. Skicka filen till " + data.lansstyrelse + ".");
  });

  /* ---- reading a saved statement back ------------------------------- */

  function YamlError(line, message) {
    this.line = line;
    this.message = message;
  }

  /* The YAML the form writes, and what a person or `new` writes in the
     same shape: block mappings and sequences, flow lists and mappings of
     scalars, quoted and plain scalars, literal and folded block scalars
     and comments. Anything else is an error with its line. */
  function parseYaml(source) {
    var lines = source.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n").split("\n");
    var pos = 0;

    function fail(at, message) {
      throw new YamlError(at + 1, message);
    }

    function indentOf(at) {
      var line = lines[at], n = 0;
      while (line[n] === " ") n++;
      if (line[n] === "\t") fail(at, "raden är indragen med tabb; använd blanksteg");
      return n;
    }

    function isBlank(line) {
      return /^\s*(#.*)?$/.test(line) || line === "---";
    }

    function skipBlank() {
      while (pos < lines.length && isBlank(lines[pos])) pos++;
    }

    /* The end of a quoted scalar starting at s[i], or -1. */
    function quoteEnd(s, i) {
      var q = s[i];
      for (var k = i + 1; k < s.length; k++) {
        if (q === "\"" && s[k] === "\\") k++;
        else if (s[k] === q) {
          if (q === "'" && s[k + 1] === "'") k++;
          else return k;
        }
      }
      return -1;
    }

    function stripComment(s) {
      for (var k = 0; k < s.length; k++) {
        if ((s[k] === "\"" || s[k] === "'") && (k === 0 || /[\s\[{,:]/.test(s[k - 1]))) {
          var end = quoteEnd(s, k);
          if (end < 0) return s;
          k = end;
        } else if (s[k] === "#" && (k === 0 || /\s/.test(s[k - 1]))) {
          return s.slice(0, k).replace(/\s+$/, "");
        }
      }
      return s.replace(/\s+$/, "");
    }

    /* "key: rest" -> [key, rest], or null when the line is no mapping entry. */
    function splitKey(s, at) {
      if (s[0] === "\"" || s[0] === "'") {
        var end = quoteEnd(s, 0);
        if (end < 0 || s[end + 1] !== ":" || (s.length > end + 2 && !/\s/.test(s[end + 2]))) return null;
        return [decodeQuoted(s.slice(0, end + 1), at), s.slice(end + 2)];
      }
      if (/^[\[{\-?|>!&*%@`]/.test(s) && !/^-[^\s]/.test(s)) return null;
      var m = /^([^#]*?):(\s|$)/.exec(s);
      if (!m) return null;
      return [m[1].trim(), s.slice(m[0].length)];
    }

    function decodeQuoted(raw, at) {
      var q = raw[0], body = raw.slice(1, -1);
      if (q === "'") return body.replace(/''/g, "'");
      var out = "";
      for (var k = 0; k < body.length; k++) {
        var c = body[k];
        if (c !== "\\") {
          out += c;
          continue;
        }
        var e = body[++k];
        var simple = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r",
          e: "\x1b", " ": " ", "\"": "\"", "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
        if (Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          continue;
        }
        var width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
        var digits = body.slice(k + 1, k + 1 + width);
        if (!width || !/^[0-9A-Fa-f]+$/.test(digits) || digits.length !== width)
          fail(at, "okänd escape \"\\" + (e || "") + "\" i texten inom citattecken");
        out += String.fromCodePoint(parseInt(digits, 16));
        k += width;
      }
      return out;
    }

    /* A quoted scalar that may go on over several lines, folded as YAML
       folds them. Returns [value, rest of the last line]. */
    function quotedScalar(first, at) {
      var text = first, end = quoteEnd(text, 0);
      while (end < 0) {
        if (pos >= lines.length) fail(at, "texten inom citattecken tar aldrig slut");
        text += "\n" + lines[pos++];
        end = quoteEnd(text, 0);
      }
      var raw = text.slice(0, end + 1);
      var folded = raw.replace(/[ \t]*\n[ \t]*/g, "\n").replace(/\\\n/g, "").replace(/(^|[^\n])\n(?!\n)/g, "$1 ")
        .replace(/\n(\n+)/g, "$1");
      return [decodeQuoted(folded, at), text.slice(end + 1)];
    }

    function plain(s, at) {
      if (/^[&*!%@`]/.test(s)) fail(at, "ankare, alias och taggar kan formuläret inte läsa");
      if (s === "~" || s === "null") return null;
      if (s === "true") return true;
      if (s === "false") return false;
      if (/^-?[0-9]+$/.test(s)) return parseInt(s, 10);
      return s;
    }

    function flowItem(s, at) {
      s = s.trim();
      if (s[0] === "\"" || s[0] === "'") {
        var end = quoteEnd(s, 0);
        if (end !== s.length - 1) fail(at, "oväntad text efter citattecknet");
        return decodeQuoted(s, at);
      }
      return plain(s, at);
    }

    /* Splits a flow list's or mapping's inside at its top-level commas. */
    function flowParts(s, at) {
      var parts = [], depth = 0, start = 0;
      for (var k = 0; k < s.length; k++) {
        var c = s[k];
        if (c === "\"" || c === "'") {
          k = quoteEnd(s, k);
          if (k < 0) fail(at, "texten inom citattecken tar aldrig slut");
        } else if (c === "[" || c === "{") depth++;
        else if (c === "]" || c === "}") depth--;
        else if (c === "," && depth === 0) {
          parts.push(s.slice(start, k));
          start = k + 1;
        }
      }
      var last = s.slice(start);
      if (last.trim() || parts.length) parts.push(last);
      return parts.filter(function (p, i) {
        return p.trim() || i < parts.length - 1;
      });
    }

    function flow(s, at) {
      var open = s[0], close = open === "[" ? "]" : "}";
      var text = stripComment(s);
      var depth = 0, end = -1;
      for (;;) {
        depth = 0;
        end = -1;
        for (var k = 0; k < text.length; k++) {
          if (text[k] === "\"" || text[k] === "'") {
            var q = quoteEnd(text, k);
            if (q < 0) break;
            k = q;
          } else if (text[k] === "[" || text[k] === "{") depth++;
          else if (text[k] === "]" || text[k] === "}") {
            if (--depth === 0) {
              end = k;
              break;
            }
          }
        }
        if (end >= 0) break;
        if (pos >= lines.length) fail(at, "\"" + open + "\" utan \"" + close + "\"");
        text += " " + stripComment(lines[pos++]).trim();
      }
      if (text.slice(end + 1).trim()) fail(at, "oväntad text efter \"" + close + "\"");
      var inner = text.slice(1, end);
      if (open === "[") {
        return flowParts(inner, at).map(function (p) {
          if (!p.trim()) fail(at, "tomt värde i listan");
          if (/^\s*[\[{]/.test(p)) fail(at, "listor i listor kan formuläret inte läsa");
          return flowItem(p, at);
        });
      }
      var map = {};
      flowParts(inner, at).forEach(function (p) {
        var kv = splitKey(p.trim(), at);
        if (!kv) fail(at, "väntade \"nyckel: värde\" inom { }");
        var value = kv[1].trim();
        map[kv[0]] = value[0] === "[" ? flow(value, at) : value === "" ? null : flowItem(value, at);
      });
      return map;
    }

    function blockScalar(header, parentIndent, at) {
      var m = /^([|>])([+-]?)([1-9]?)([+-]?)\s*$/.exec(stripComment(header));
      if (!m) fail(at, "okänd början på ett blockvärde: " + header);
      var folded = m[1] === ">", chomp = m[2] || m[4], explicit = m[3] ? parentIndent + Number(m[3]) : 0;
      var body = [], indent = explicit;
      while (pos < lines.length) {
        var line = lines[pos];
        if (/^ *$/.test(line)) {
          body.push(line);
          pos++;
          continue;
        }
        var n = line.search(/[^ ]/);
        if (!indent) indent = n;
        if (n < indent || indent <= parentIndent) break;
        body.push(line);
        pos++;
      }
      var trailing = 0;
      while (body.length && /^ *$/.test(body[body.length - 1]) && (!indent || body[body.length - 1].length <= indent)) {
        body.pop();
        trailing++;
      }
      var contents = body.map(function (line) {
        return line.slice(indent);
      });
      var value = folded ? contents.reduce(function (acc, line, i) {
        if (i === 0) return line;
        var prev = contents[i - 1];
        if (line === "" || prev === "" || /^\s/.test(line) || /^\s/.test(prev)) return acc + "\n" + line;
        return acc + " " + line;
      }, "") : contents.join("\n");
      if (!contents.length) return "";
      if (chomp === "-") return value;
      if (chomp === "+") return value + "\n" + new Array(trailing + 1).join("\n");
      return value + "\n";
    }

    function inlineValue(s, parentIndent, at) {
      if (s[0] === "\"" || s[0] === "'") {
        var r = quotedScalar(s, at);
        if (stripComment(r[1]).trim()) fail(at, "oväntad text efter citattecknet");
        return r[0];
      }
      if (s[0] === "[" || s[0] === "{") return flow(s, at);
      if (s[0] === "|" || s[0] === ">") return blockScalar(s, parentIndent, at);
      var text = stripComment(s).trim();
      /* A plain scalar may go on over more indented lines. */
      while (pos < lines.length && !isBlank(lines[pos]) && indentOf(pos) > parentIndent &&
             !splitKey(lines[pos].trim(), pos)) {
        text += " " + stripComment(lines[pos++]).trim();
      }
      return plain(text, at);
    }

    function value(after, parentIndent, at) {
      if (stripComment(after).trim() !== "") return inlineValue(after.trim(), parentIndent, at);
      skipBlank();
      if (pos >= lines.length) return null;
      var n = indentOf(pos), rest = lines[pos].slice(n);
      if (n > parentIndent) return node(n);
      if (n === parentIndent && /^-(\s|$)/.test(rest)) return sequence(n);
      return null;
    }

    function mapping(indent) {
      var map = {};
      for (;;) {
        skipBlank();
        if (pos >= lines.length) break;
        var n = indentOf(pos);
        if (n < indent) break;
        if (n > indent) fail(pos, "oväntat indrag");
        var rest = lines[pos].slice(n);
        if (/^-(\s|$)/.test(rest)) break;
        var kv = splitKey(rest, pos);
        if (!kv) fail(pos, "väntade \"nyckel: värde\"");
        if (Object.prototype.hasOwnProperty.call(map, kv[0])) fail(pos, "nyckeln \"" + kv[0] + "\" står två gånger");
        var at = pos++;
        map[kv[0]] = value(kv[1], n, at);
      }
      return map;
    }

    function sequence(indent) {
      var items = [];
      for (;;) {
        skipBlank();
        if (pos >= lines.length) break;
        var n = indentOf(pos);
        if (n !== indent) {
          if (n > indent) fail(pos, "oväntat indrag");
          break;
        }
        var rest = lines[pos].slice(n);
        if (!/^-(\s|$)/.test(rest)) break;
        var after = rest.slice(1), gap = after.search(/[^ ]|$/);
        var body = after.slice(gap);
        if (stripComment(body).trim() === "") {
          var at = pos++;
          items.push(value("", n, at));
        } else if (splitKey(body, pos) && body[0] !== "\"" || /^"[^"]*"\s*:/.test(body)) {
          lines[pos] = new Array(n + 2 + gap).join(" ") + body;
          items.push(mapping(n + 1 + gap));
        } else {
          var line = pos++;
          items.push(inlineValue(body, n, line));
        }
      }
      return items;
    }

    function node(indent) {
      var rest = lines[pos].slice(indent);
      if (/^-(\s|$)/.test(rest)) return sequence(indent);
      if (splitKey(rest, pos)) return mapping(indent);
      var at = pos++;
      return inlineValue(rest, indent - 1, at);
    }

    skipBlank();
    if (pos >= lines.length) fail(0, "filen är tom");
    var result = node(indentOf(pos));
    skipBlank();
    if (pos < lines.length) fail(pos, "oväntad text efter yttrandet");
    return result;
  }

  var STATEMENT_KEYS = { "aktör": "aktor", "år": "ar", inkom: "inkom", kontakt: "kontakt", styrdokument: "styrdokument",
    aktiviteter: "aktiviteter", "framgångsfaktorer": "framgangsfaktorer", utmaningar: "utmaningar", behov: "behov",
    indikatorer: "indikatorer" };
  var ACTIVITY_KEYS = { id: "id", rubrik: "rubrik", "mål": "mal", ansvariga: "ansvariga", status: "status",
    beskrivning: "beskrivning", "områden": "omraden", samverkan: "samverkan", "målgrupp": "malgrupp", intern: "intern" };

  function isMap(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  function rename(map, keys, where) {
    var out = {};
    Object.keys(map).forEach(function (k) {
      if (!Object.prototype.hasOwnProperty.call(keys, k))
        throw new YamlError(0, where + " har nyckeln \"" + k + "\", som formuläret inte känner till");
      out[keys[k]] = map[k];
    });
    return out;
  }

  /* The parsed file as the page's statement, or an error that says why it
     is not this form's. */
  function fromYaml(parsed) {
    if (!isMap(parsed)) throw new YamlError(0, "filen är inget yttrande");
    var y = rename(parsed, STATEMENT_KEYS, "yttrandet");
    var actor = text(y.aktor), year = text(y.ar);
    if (actor !== data.aktor.id)
      throw new YamlError(0, "filen är yttrandet från " + (actorNames[actor] || actor || "en okänd aktör") +
        ", men formuläret gäller " + data.aktor.namn + "; öppna filen i det formulär som hör till den");
    if (year !== String(data.ar))
      throw new YamlError(0, "filen är yttrandet för " + (year || "ett okänt år") + ", men formuläret gäller " + data.ar);
    if (y.kontakt !== null && y.kontakt !== undefined && !isMap(y.kontakt)) throw new YamlError(0, "kontakt ska ha namn och epost");
    if (y.styrdokument !== null && y.styrdokument !== undefined && !isMap(y.styrdokument))
      throw new YamlError(0, "styrdokument ska ha status och beskrivning");
    if (y.aktiviteter !== null && y.aktiviteter !== undefined && !Array.isArray(y.aktiviteter))
      throw new YamlError(0, "aktiviteter ska vara en lista");
    if (y.indikatorer !== null && y.indikatorer !== undefined && !isMap(y.indikatorer))
      throw new YamlError(0, "indikatorer ska vara id och värde");
    Object.keys(y.indikatorer || {}).forEach(function (id) {
      var known = data.indikatorer.some(function (ind) { return ind.id === id; });
      if (!known) throw new YamlError(0, "indikatorn \"" + id + "\" hör inte till formuläret");
    });
    y.aktiviteter = (y.aktiviteter || []).map(function (a, i) {
      if (!isMap(a)) throw new YamlError(0, "aktivitet " + (i + 1) + " är ingen aktivitet med rubrik, mål och status");
      return rename(a, ACTIVITY_KEYS, "aktivitet " + (i + 1));
    });
    ["kontakt", "styrdokument"].forEach(function (k) {
      if (isMap(y[k])) y[k] = rename(y[k], k === "kontakt" ? { namn: "namn", epost: "epost" } : { status: "status", beskrivning: "beskrivning" }, k);
    });
    return statementState(y, false);
  }

  function openText(source, name) {
    var box = byId("oppna-fel");
    box.hidden = true;
    box.textContent = "";
    try {
      state = fromYaml(parseYaml(source));
    } catch (e) {
      if (!(e instanceof YamlError)) throw e;
      box.textContent = (name ? name + ": " : "") + (e.line ? "rad " + e.line + ": " : "") + e.message + ". Formuläret är oförändrat.";
      box.hidden = false;
      return false;
    }
    clearErrors();
    store();
    render();
    say("Läste in " + (name || "yttrandet") + ". Ändra det som behövs och spara igen.");
    return true;
  }

  byId("oppna-fil").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      openText(String(reader.result), file.name);
      event.target.value = "";
    };
    reader.onerror = function () {
      var box = byId("oppna-fel");
      box.textContent = file.name + " kunde inte läsas.";
      box.hidden = false;
    };
    reader.readAsText(file, "utf-8");
  });

  byId("klistra-las").addEventListener("click", function () {
    if (openText(byId("klistra-text").value, "")) byId("klistra-text").value = "";
  });

  byId("borja-om").addEventListener("click", function () {
    state = statementState(data.yttrande, true);
    store();
    render();
    byId("utkast").hidden = true;
    say("Formuläret visar nu det ni fick från " + data.lansstyrelse + ".");
  });

  /* ---- start ------------------------------------------------------------ */

  fillPlanStatuses();
  var draft = restored();
  if (draft) {
    state = draft;
    byId("utkast-text").textContent = "Det ni skrev senast är återställt från webbläsaren.";
    byId("utkast").hidden = false;
  } else {
    state = statementState(data.yttrande, true);
  }
  render();
})();
