/* Brik's small progressive enhancements. Every page works without this file:
   it makes long selects searchable (Tom Select, from npm), turns the language
   boxes into searches, and moves keyboard focus to what HTMX just showed. */
(function () {
  "use strict";

  var texts = function () {
    var data = document.body ? document.body.dataset : {};
    return {
      noResults: data.noResults || "Nothing found",
      typeToSearch: data.typeToSearch || "Type to search",
      remove: data.remove || "Remove",
    };
  };

  function renderers() {
    var t = texts();
    var escape = function (s) {
      var div = document.createElement("div");
      div.textContent = s;
      return div.innerHTML;
    };
    return {
      no_results: function () {
        return '<div class="no-results">' + escape(t.noResults) + "</div>";
      },
    };
  }

  function plugins(multiple) {
    if (!multiple) return [];
    return { remove_button: { title: texts().remove } };
  }

  // Tom Select points the <label> at its own search box; the original field,
  // hidden but still read by assistive technology, keeps its name this way.
  function keepName(el) {
    var label = el.id && document.querySelector('label[for="' + el.id + '"]');
    if (label && !el.hasAttribute("aria-label")) {
      el.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    }
  }

  function enhanceSelect(el) {
    if (el.tomselect || !window.TomSelect) return;
    keepName(el);
    new window.TomSelect(el, {
      plugins: plugins(el.multiple),
      maxOptions: 400,
      // Country options carry their other names ("Burma", "Russia") in data-aliases.
      searchField: ["text", "aliases"],
      allowEmptyOption: !el.multiple,
      hidePlaceholder: true,
      render: renderers(),
    });
  }

  function enhanceLanguage(el) {
    if (el.tomselect || !window.TomSelect) return;
    keepName(el);
    var multiple = el.dataset.multiple === "true";
    var codes = (el.dataset.codes || "").split(",").filter(Boolean);
    var names = el.value.split(",").map(function (s) { return s.trim(); });
    var options = codes.map(function (code, i) { return { value: code, text: names[i] || code }; });
    // Tom Select keeps the chosen codes in the box; the server accepts codes or names.
    el.value = codes.join(",");
    new window.TomSelect(el, {
      plugins: plugins(multiple),
      valueField: "value",
      labelField: "text",
      // A country found by another of its names ("Rusland" for Russia) comes with
      // them in "aliases", so that Tom Select's own filter keeps it.
      searchField: ["text", "value", "aliases"],
      options: options,
      items: codes,
      maxItems: multiple ? null : 1,
      create: false,
      placeholder: texts().typeToSearch,
      render: renderers(),
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) {
        fetch(el.dataset.url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (json) { callback(json.results); })
          .catch(function () { callback(); });
      },
    });
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll('select[data-enhance="select"]').forEach(enhanceSelect);
    // Searches that load their options as one types: languages, countries.
    root
      .querySelectorAll('input[data-enhance="language"], input[data-enhance="search"]')
      .forEach(enhanceLanguage);
  }

  function focusFirst(root) {
    var target = root && root.querySelector && root.querySelector("[data-focus]");
    if (target) {
      target.focus({ preventScroll: false });
    }
  }

  // Sent open so that they work without JavaScript; on a phone's width,
  // fold the menu and the list filters behind their buttons.
  function foldOnPhone(root) {
    if (!window.matchMedia("(max-width: 767px)").matches) return;
    root.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
      details.open = false;
    });
  }

  // --- typed work kept across an ended session (brik.accounts.middleware) ---------
  // The server kept what was sent (encrypted) and writes it into this page once,
  // after the login; it goes back into the form's fields here, and is not sent.
  function restoreKeptForm() {
    var script = document.getElementById("kept-form");
    if (!script) return;
    var items;
    try { items = JSON.parse(script.textContent); } catch (e) { return; }
    script.remove();
    var form = document.querySelector("main form[method=post]:not([action$='/logout/'])");
    if (!form || !Array.isArray(items)) return;
    var values = {};
    items.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Object.keys(values).forEach(function (name) {
      if (name === "form_token" || name === "csrfmiddlewaretoken") return;
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      fields.forEach(function (field) {
        var wanted = values[name];
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = wanted.indexOf(field.value) !== -1;
        } else if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = wanted.indexOf(option.value) !== -1;
          });
        } else if (field.type !== "hidden" && field.type !== "file") {
          field.value = wanted.shift() || "";
        }
      });
    });
  }

  // --- the session warning ----------------------------------------------------------
  // A few minutes before the session would end, a notice with "Stay signed in"
  // (which writes the session again); when it has ended, a notice saying so.
  function sessionWarning() {
    var data = document.body.dataset;
    if (!data.sessionLeft) return;
    var left = parseInt(data.sessionLeft, 10);
    var warn = parseInt(data.sessionWarn || "300", 10);
    var box = null;
    var timers = [];

    function show(text, withButton) {
      if (!box) {
        box = document.createElement("div");
        box.className = "session-warning";
        box.setAttribute("role", "alertdialog");
        box.setAttribute("aria-live", "assertive");
        box.id = "session-warning";
        document.body.appendChild(box);
      }
      box.textContent = "";
      var p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
      if (withButton) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = data.sessionStayLabel;
        button.addEventListener("click", stay);
        box.appendChild(button);
        button.focus();
      }
    }

    function csrf() {
      var input = document.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function stay() {
      var form = document.getElementById("session-stay-form");
      fetch(form ? form.action : data.sessionStay, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (json) {
          if (box) { box.remove(); box = null; }
          schedule(json.seconds_left);
        })
        .catch(function () { show(data.sessionEnded, false); });
    }

    function schedule(seconds) {
      timers.forEach(clearTimeout);
      timers = [
        setTimeout(function () { show(data.sessionWarning, true); }, Math.max(0, seconds - warn) * 1000),
        setTimeout(function () { show(data.sessionEnded, false); }, seconds * 1000),
      ];
    }

    // Any request (HTMX included) writes the session again at most once a minute;
    // counting from the page's load is on the safe side by up to that minute.
    schedule(left);
    document.addEventListener("htmx:afterRequest", function () { schedule(left - 60); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldOnPhone(document);
    restoreKeptForm();
    sessionWarning();
    enhance(document);
    focusFirst(document.querySelector("main"));
  });

  // HTMX puts new content in the page: enhance it, and move focus to its
  // heading or its error summary so keyboard and screen reader users follow.
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusFirst(event.detail.elt);
  });
})();
