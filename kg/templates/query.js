// The query page of `kg serve`: runs SPARQL against /sparql and shows the answer as a table.
// Every value from the graph goes into the page as text (textContent), never as markup.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let library = [];

  function status(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  function table(data) {
    const out = $("results");
    out.replaceChildren();
    if (typeof data.boolean === "boolean") {
      out.textContent = data.boolean ? "true" : "false";
      return 1;
    }
    const vars = data.head.vars;
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const b of data.results.bindings) {
      const row = body.insertRow();
      for (const v of vars) row.insertCell().textContent = b[v] ? b[v].value : "";
    }
    out.appendChild(t);
    return data.results.bindings.length;
  }

  async function run() {
    status("running…", false);
    $("results").replaceChildren();
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.5" },
        body: new URLSearchParams({ query: $("query").value }),
      });
      const text = await response.text();
      if (!response.ok) {
        status(response.status + " " + text, true);
        return;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const cut = response.headers.get("KG-Result-Truncated") === "true";
      const limit = response.headers.get("KG-Result-Limit");
      if ((response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
        const n = table(JSON.parse(text));
        status(n + " rows in " + seconds + " s" + (cut ? "; cut at the server's limit of " + limit + " rows" : ""), false);
      } else {
        const pre = document.createElement("pre");
        pre.textContent = text;
        $("results").replaceChildren(pre);
        status("graph in " + seconds + " s" + (cut ? "; cut at " + limit + " triples" : ""), false);
      }
    } catch (err) {
      status(String(err), true);
    }
  }

  function choose() {
    const q = library.find((x) => x.name === $("named").value);
    $("params").replaceChildren();
    $("description").textContent = q ? q.description : "";
    if (!q) return;
    $("query").value = q.text;
    for (const p of q.params) {
      const label = document.createElement("label");
      label.textContent = p.name + " (" + p.type + (p.required ? "" : ", optional") + ") ";
      const input = document.createElement("input");
      input.dataset.param = p.name;
      input.placeholder = p.description;
      input.value = p.default || "";
      label.appendChild(input);
      $("params").appendChild(label);
    }
    const go = document.createElement("button");
    go.textContent = "Run with these values";
    go.addEventListener("click", runNamed);
    $("params").appendChild(go);
  }

  async function runNamed() {
    const name = $("named").value;
    const args = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) {
      if (input.value.trim()) args.set(input.dataset.param, input.value.trim());
    }
    status("running…", false);
    const response = await fetch("/queries/" + encodeURIComponent(name) + "?" + args.toString(),
                                 { headers: { "Accept": "application/sparql-results+json" } });
    const text = await response.text();
    if (!response.ok) { status(response.status + " " + text, true); return; }
    const n = table(JSON.parse(text));
    status(n + " rows", false);
  }

  fetch("/queries").then((r) => r.json()).then((list) => {
    library = list;
    for (const q of list) {
      const option = document.createElement("option");
      option.value = q.name;
      option.textContent = q.name;
      $("named").appendChild(option);
    }
  });
  $("named").addEventListener("change", choose);
  $("run").addEventListener("click", run);
  $("endpoint").textContent = location.origin + "/sparql";
  // A link such as /?query=SELECT… opens with that query and runs it.
  const given = new URLSearchParams(location.search).get("query");
  if (given) {
    $("query").value = given;
    run().then(() => document.body.setAttribute("data-done", "1"));
  }
})();
