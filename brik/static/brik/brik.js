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
      searchField: ["text", "value"],
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
    root.querySelectorAll('input[data-enhance="language"]').forEach(enhanceLanguage);
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

  document.addEventListener("DOMContentLoaded", function () {
    foldOnPhone(document);
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
