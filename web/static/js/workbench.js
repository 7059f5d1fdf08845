/* The SPARQL workbench: YASGUI (served from /vendor, installed by npm) set up to work offline.
 *
 * - every query goes to this server's /sparql (the endpoint field is fixed and hidden);
 * - the project prefixes are known to the editor without PREFIX lines (the server predefines them);
 * - autocompletion is local only: variables, prefixes, and the classes and properties of the store
 *   (from the page's JSON config). YASGUI's remote completers (prefix.cc, LOV) are switched off;
 * - a result cut at the setting max_rows shows a notice (header X-Partnergraph-Truncated);
 * - download links for every format of the query's form; /sparql?query=… is the shareable link.
 * No inline script: the page's Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";

  var configEl = document.getElementById("workbench-config");
  var root = document.getElementById("workbench");
  if (!configEl || !root) {
    return;
  }
  var cfg = JSON.parse(configEl.textContent);
  var Yasgui = window.Yasgui;
  if (!Yasgui) {
    return; // the vendored library is missing: the plain form stays usable
  }
  var fallback = document.getElementById("workbench-fallback");
  if (fallback) {
    fallback.hidden = true;
  }
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var Yasqe = Yasgui.Yasqe;

  // 1. The server predefines the project prefixes. Start the editor's SPARQL tokenizer with
  //    them declared, so its syntax check, completion and IRI shortening treat them as declared
  //    (a PREFIX line in the query still takes precedence).
  var CodeMirror = Object.getPrototypeOf(Yasqe);
  var sparqlMode = CodeMirror.modes && CodeMirror.modes.sparql11;
  if (sparqlMode) {
    CodeMirror.defineMode("sparql11", function (editorConfig, modeConfig) {
      var mode = sparqlMode(editorConfig, modeConfig);
      var startState = mode.startState;
      mode.startState = function () {
        var state = startState.apply(this, arguments);
        state.prefixes = Object.assign({}, cfg.prefixes, state.prefixes);
        return state;
      };
      return mode;
    });
  }

  // 2. Local completers only. "class" and "property" would ask LOV (lov.linkeddata.es);
  //    the forks below answer from the store's own vocabulary instead.
  function localList(list) {
    return function () {
      return Promise.resolve(list.slice());
    };
  }
  Yasqe.forkAutocompleter("class", {
    name: "pg-class", bulk: true, autoShow: false, persistenceId: null, get: localList(cfg.classes)
  }, false);
  Yasqe.forkAutocompleter("property", {
    name: "pg-property", bulk: true, autoShow: false, persistenceId: null, get: localList(cfg.properties)
  }, false);
  var bundledPrefixes = Yasqe.Autocompleters.prefixes.get;
  Yasqe.forkAutocompleter("prefixes", {
    name: "pg-prefixes",
    persistenceId: null,
    get: function (yasqe, token) {
      // the bundled prefix list (no network while prefixCcApi is null), ours taking precedence
      return Promise.resolve(bundledPrefixes.call(this, yasqe, token)).then(function (bundled) {
        var ours = Object.keys(cfg.prefixes).map(function (p) {
          return p + ": <" + cfg.prefixes[p] + ">";
        });
        var taken = {};
        Object.keys(cfg.prefixes).forEach(function (p) { taken[p + ":"] = true; });
        var rest = (bundled || []).filter(function (line) {
          return !taken[line.split(" ")[0]];
        });
        return ours.concat(rest);
      });
    }
  }, false);
  var completers = ["variables", "pg-prefixes", "pg-class", "pg-property"];
  Yasqe.defaults.autocompleters.length = 0;
  Array.prototype.push.apply(Yasqe.defaults.autocompleters, completers);
  Yasqe.defaults.prefixCcApi = null;

  function fixedEndpoint(tabConfig) {
    tabConfig.requestConfig = tabConfig.requestConfig || {};
    tabConfig.requestConfig.endpoint = endpoint;
    // URL parameters that are not YASGUI's own (e.g. lang) must not be sent with queries
    tabConfig.requestConfig.args = [];
    return tabConfig;
  }

  var yasgui = new Yasgui(root, {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
      args: []
    },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: []
    },
    corsProxy: undefined,
    persistenceId: "partnergraph-workbench",
    populateFromUrl: fixedEndpoint,
    tabName: cfg.lang === "en" ? "Query" : "Kysely",
    yasqe: {
      value: cfg.defaultQuery,
      prefixCcApi: null,
      autocompleters: completers,
      createShortLink: undefined,
      resizeable: true,
      editorHeight: "320px"
    },
    yasr: {
      prefixes: cfg.prefixes,
      defaultPlugin: "table",
      pluginOrder: ["table", "response"]
    }
  });

  function eachTab(fn) {
    Object.keys(yasgui._tabs).forEach(function (id) {
      var tab = yasgui._tabs[id];
      if (tab) {
        fn(tab);
      }
    });
  }

  // Tabs restored from localStorage keep whatever they had: bring them into line.
  function setUpTab(tab) {
    if (tab.getEndpoint && tab.getEndpoint() !== endpoint) {
      tab.setEndpoint(endpoint);
    }
    var yasqe = tab.getYasqe && tab.getYasqe();
    if (!yasqe || yasqe.__partnergraph) {
      return;
    }
    yasqe.__partnergraph = true;
    ["class", "property", "prefixes"].forEach(function (name) {
      if (yasqe.autocompleters[name]) {
        yasqe.disableCompleter(name);
      }
    });
    completers.forEach(function (name) {
      if (!yasqe.autocompleters[name]) {
        yasqe.enableCompleter(name).catch(function () {});
      }
    });
    yasqe.on("queryResponse", function (instance, response) {
      showResponse(instance, response);
    });
    yasqe.on("change", function () { updateLinks(yasqe, false); });
    updateLinks(yasqe, false);
  }

  var truncated = document.getElementById("workbench-truncated");
  var downloads = document.getElementById("workbench-downloads");

  function showResponse(yasqe, response) {
    var header = response && response.headers && response.headers.get
      ? response.headers.get("X-Partnergraph-Truncated") : null;
    if (header) {
      var n = header.split("=")[1] || cfg.maxRows;
      truncated.textContent = cfg.text.truncated.replace("{n}", n);
      truncated.hidden = false;
    } else {
      truncated.hidden = true;
    }
    updateLinks(yasqe, true);
  }

  // Every reserved character percent-encoded (spaces as %20, ';' as %3B): YASGUI's own URL
  // parser, which reads shared links, splits parameters on ';' and does not decode '+'.
  function queryUrl(query, params) {
    var parts = ["query=" + encodeURIComponent(query)];
    Object.keys(params || {}).forEach(function (k) {
      parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
    });
    return cfg.endpoint + "?" + parts.join("&");
  }

  function updateLinks(yasqe, show) {
    var query = yasqe.getValue();
    var form;
    try {
      form = yasqe.getQueryType();
    } catch (e) {
      form = null;
    }
    var formats = cfg.formats[form] || cfg.formats.SELECT;
    var extension = { json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl", ntriples: "nt",
                      jsonld: "jsonld", rdfxml: "rdf" };
    downloads.textContent = "";
    var label = document.createElement("span");
    label.textContent = cfg.text.downloads + " ";
    downloads.appendChild(label);
    formats.forEach(function (fmt) {
      var a = document.createElement("a");
      a.href = queryUrl(query, { format: fmt });
      a.textContent = fmt.toUpperCase();
      a.setAttribute("download", "query-results." + extension[fmt]);
      a.setAttribute("data-format", fmt);
      downloads.appendChild(a);
      downloads.appendChild(document.createTextNode(" "));
    });
    var share = document.createElement("a");
    share.href = queryUrl(query, {});
    share.textContent = cfg.text.share;
    share.setAttribute("data-testid", "share-link");
    share.className = "share";
    downloads.appendChild(share);
    if (show || !downloads.hidden) {
      downloads.hidden = false;
    }
  }

  eachTab(setUpTab);
  yasgui.on("tabAdd", function () { eachTab(setUpTab); });
  yasgui.on("tabSelect", function () { window.setTimeout(function () { eachTab(setUpTab); }, 0); });
  yasgui.on("tabChange", function () { eachTab(setUpTab); });
  window.partnergraphWorkbench = yasgui; // for tests and the console
})();
