/* WISH map: asks the API for clusters and results in the visible area with the current
   filters, after every pan, zoom or filter change. Listing text only ever reaches the page
   through textContent and attribute setters, never as HTML. */
(function () {
  "use strict";

  var FILTERS = ["country", "support", "target", "language", "speaks", "speaks_only", "open_now", "q", "near", "radius_km"];
  var CHECKS = ["open_now", "speaks_only"];
  var WISH = (window.WISH = window.WISH || {});

  WISH.attach = function (map, options) {
    var app = new MapApp(map, options);
    WISH.app = app;
    app.start();
  };

  // The language switcher links to this page as it is now: filters the script put in the URL included.
  function relinkLanguages() {
    Array.prototype.forEach.call(document.querySelectorAll("#langs a[hreflang]"), function (link) {
      var params = new URLSearchParams(location.search);
      params.set("lang", link.getAttribute("hreflang"));
      link.href = location.pathname + "?" + params.toString();
    });
  }

  // ---- small helpers ------------------------------------------------------

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function safeHref(url) {
    return /^(https?:|mailto:|tel:|geo:)/i.test(url) ? url : null;
  }

  function digits(phone) { return String(phone).replace(/[^\d+]/g, ""); }

  // Open now, as wish/hours.py decides it: the wall-clock minute of the week in the
  // initiative's own time zone (the browser's Intl knows every zone and its DST rules); a
  // range that ends at or before its start runs past midnight into the next day.
  var DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"], WEEK = 7 * 1440;
  var WEEKDAY = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var zoneFormats = {};

  function minuteOfWeek(zone, when) {
    var format = zoneFormats[zone];
    if (!format) {
      format = zoneFormats[zone] = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      });
    }
    var part = {};
    format.formatToParts(when).forEach(function (p) { part[p.type] = p.value; });
    return WEEKDAY[part.weekday] * 1440 + (Number(part.hour) % 24) * 60 + Number(part.minute);
  }

  function openAt(schedule, zone, when) {
    var now, open = false, any = false;
    try { now = minuteOfWeek(zone || "UTC", when); } catch (e) { return null; }
    DAYS.forEach(function (day, i) {
      (schedule[day] || []).forEach(function (r) {
        var a = Number(r[0].slice(0, 2)) * 60 + Number(r[0].slice(3)), b = Number(r[1].slice(0, 2)) * 60 + Number(r[1].slice(3));
        if (b <= a) b += 1440;
        a += i * 1440;
        b += i * 1440;
        any = true;
        if ((a <= now && now < b) || (a <= now + WEEK && now + WEEK < b)) open = true;
      });
    });
    return any ? open : null;
  }
  WISH.openAt = openAt; // tests compare it with wish/hours.py

  // ---- the app ------------------------------------------------------------

  function MapApp(map, options) {
    this.map = map;
    this.o = options;
    this.t = options.text;
    this.labels = options.labels;
    this.layer = L.layerGroup().addTo(map);
    this.seq = 0; // replies to anything but the latest request are ignored
    this.nearMe = null; // the browser's location: kept in memory, never put in the URL
    this.form = document.getElementById("filters");
    this.status = document.getElementById("status");
    this.list = document.getElementById("results");
    this.card = document.getElementById("card");
    this.nothing = document.getElementById("nothing");
    this.note = document.getElementById("map-note");
    this.nearestLayer = L.layerGroup().addTo(map);
    this.place = document.getElementById("f-place");
    this.options = document.getElementById("place-options");
    this.lang = document.documentElement.lang || "en";
    this.number = new Intl.NumberFormat(this.lang, { maximumFractionDigits: 1 });
    // The reader's chosen language (?lang=) follows every link this script builds.
    this.langQuery = options.lang ? "?lang=" + encodeURIComponent(options.lang) : "";
  }

  MapApp.prototype.start = function () {
    var self = this;
    this.label();
    this.state = this.readUrl();
    // A shared link may name a place without its point: the server resolved it for us.
    if (this.state.place && !this.state.near && this.form.dataset.near) this.state.near = this.form.dataset.near;
    this.map.on("moveend", debounce(function () { self.refresh(); }, 250));
    this.form.addEventListener("change", function (e) {
      if (e.target === self.place) return; // handled on submit or when a place is picked
      self.setState(self.readForm(), true);
    });
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.submitPlace();
    });
    window.addEventListener("popstate", function () {
      // Following an in-page link (the skip link) also fires popstate: the filters are unchanged.
      if (location.search === self.search) return;
      self.state = self.readUrl();
      relinkLanguages();
      self.writeForm();
      self.facetsDue = true;
      if (!self.placeView()) self.refresh();
    });
    this.setupPlaceSearch();
    this.setupNearMe();
    var area = document.getElementById("filters-area");
    if (area && window.matchMedia("(min-width: 60rem)").matches) area.open = true;
    this.tilesTimer = setTimeout(function () { self.addTiles(); }, 8000);
    var moved = this.placeView();
    var focus = new URLSearchParams(location.search).get("focus");
    if (focus && /^\d+$/.test(focus)) this.openCard(Number(focus), null, true);
    if (!moved) this.refresh();
  };

  // Name the map and Leaflet's own buttons in the reader's language (Leaflet's are English only).
  MapApp.prototype.label = function () {
    var box = this.map.getContainer(), t = this.t;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", t.map);
    box.setAttribute("aria-describedby", "map-help");
    [["in", t.zoomIn], ["out", t.zoomOut]].forEach(function (pair) {
      var button = box.querySelector(".leaflet-control-zoom-" + pair[0]);
      if (!button) return;
      button.setAttribute("title", pair[1]);
      button.setAttribute("aria-label", pair[1]);
    });
  };

  // ---- state: the URL holds the filters -----------------------------------

  MapApp.prototype.readUrl = function () {
    var params = new URLSearchParams(location.search), state = {};
    this.search = location.search;
    FILTERS.concat(["place", "lang"]).forEach(function (name) {
      var value = params.getAll(name).join(",");
      if (value) state[name] = value;
    });
    return state;
  };

  MapApp.prototype.readForm = function () {
    var data = new FormData(this.form), state = {};
    FILTERS.concat(["place", "lang"]).forEach(function (name) {
      var value = data.getAll(name).filter(Boolean).join(",");
      if (value) state[name] = value;
    });
    if (state.place === this.t.myLocation) delete state.place;
    if (this.state.near && !state.near) state.near = this.state.near;
    return state;
  };

  MapApp.prototype.writeForm = function () {
    var state = this.state, form = this.form, radius = String(this.o.defaultRadius);
    CHECKS.forEach(function (name) {
      if (form.elements[name]) form.elements[name].checked = Boolean(state[name]);
    });
    ["country", "support", "target", "language", "radius_km"].forEach(function (name) {
      var select = form.elements[name];
      if (select) select.value = (state[name] || "").split(",")[0] || (name === "radius_km" ? radius : "");
    });
    form.elements.q.value = state.q || "";
    this.place.value = state.place || (this.nearMe ? this.t.myLocation : "");
  };

  MapApp.prototype.setState = function (state, push) {
    this.state = state;
    if (push) {
      var params = new URLSearchParams();
      Object.keys(state).forEach(function (k) { params.set(k, state[k]); });
      var query = params.toString();
      this.search = query ? "?" + query : ""; // location.search once pushed
      history.pushState(null, "", location.pathname + (query ? "?" + query : ""));
      relinkLanguages();
    }
    this.facetsDue = true;
    // Moving the map to the new place fires moveend, which refreshes: one round of requests, not two.
    if (!this.placeView()) this.refresh();
  };

  MapApp.prototype.apiParams = function (extra) {
    var params = new URLSearchParams(), state = this.state;
    FILTERS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    // Initiatives speaking the page's language come first (and "speaks my language" needs it).
    if (!params.has("speaks") && this.o.speaks) params.set("speaks", this.o.speaks);
    if (this.nearMe) params.set("near", this.nearMe);
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params;
  };

  MapApp.prototype.near = function () {
    var near = this.nearMe || this.state.near;
    if (!near) return null;
    var p = near.split(",").map(Number);
    return p.length === 2 && isFinite(p[0]) && isFinite(p[1]) ? p : null;
  };

  // When searching near a point, show the whole circle; true when the map was moved.
  MapApp.prototype.placeView = function () {
    var near = this.near();
    if (!near) return false;
    var radius = Number(this.state.radius_km || this.o.defaultRadius) * 1000;
    this.map.fitBounds(L.latLng(near[0], near[1]).toBounds(radius * 2), { animate: false });
    return true;
  };

  // ---- loading ------------------------------------------------------------

  MapApp.prototype.bbox = function () {
    var b = this.map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
            clamp(b.getNorth(), -90, 90)].map(function (v) { return v.toFixed(5); }).join(",");
  };

  MapApp.prototype.getJson = function (url, params) {
    return fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  };

  MapApp.prototype.refresh = function (filtersChanged) {
    filtersChanged = filtersChanged || this.facetsDue;
    this.facetsDue = false;
    var self = this, my = ++this.seq, bbox = this.bbox(), zoom = Math.round(this.map.getZoom());
    this.status.textContent = this.t.loading;
    var clusters = this.getJson(this.o.api.clusters, this.apiParams({ bbox: bbox, zoom: zoom }));
    var items = this.getJson(this.o.api.initiatives, this.apiParams({ bbox: bbox, limit: this.o.pageSize }));
    var facets = filtersChanged ? this.getJson(this.o.api.facets, this.apiParams()) : Promise.resolve(null);
    // Markers first: they need only the clusters reply.
    var drawn = clusters.then(function (body) {
      if (my === self.seq) self.drawClusters(body.clusters);
    });
    Promise.all([items, facets, drawn]).then(function (replies) {
      if (my !== self.seq) return; // a newer request is under way
      self.drawList(replies[0]);
      if (replies[1]) self.drawFacets(replies[1]);
      self.nearestLayer.clearLayers();
      self.note.hidden = true;
      if (replies[0].total === 0) self.explainNothing(my);
      else self.nothing.hidden = true;
      document.body.setAttribute("data-loaded", String(my));
      self.addTiles();
    }).catch(function () {
      if (my === self.seq) self.status.textContent = self.t.error;
      self.addTiles();
    });
  };

  // The tiles come after the first results (or after 8 s at most): on a slow line they would
  // otherwise share it with the answer people came for.
  MapApp.prototype.addTiles = function () {
    var t = this.o.tiles;
    clearTimeout(this.tilesTimer);
    if (!t || this.tiles) return;
    this.tiles = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom }).addTo(this.map);
  };

  // ---- drawing ------------------------------------------------------------

  MapApp.prototype.drawClusters = function (clusters) {
    var self = this;
    this.layer.clearLayers();
    clusters.forEach(function (c) {
      var marker;
      if (c.count === 1) {
        marker = L.marker([c.latitude, c.longitude], {
          icon: L.divIcon({ className: "pin", html: "", iconSize: [26, 26], iconAnchor: [13, 26] }),
          title: c.name, keyboard: true, riseOnHover: true,
        });
        marker.on("click", function () { self.openCard(c.id, null, false); });
      } else {
        var size = c.count < 10 ? 34 : c.count < 100 ? 40 : 48;
        var label = el("span", null, self.number.format(c.count));
        marker = L.marker([c.latitude, c.longitude], {
          icon: L.divIcon({ className: "cluster", html: label, iconSize: [size, size] }),
          title: fmt(self.t.cluster, { n: c.count }), keyboard: true,
        });
        marker.on("click", function () { self.zoomInto(c); });
      }
      marker.addTo(self.layer);
      var icon = marker.getElement();
      if (icon) {
        icon.setAttribute("role", "button");
        icon.setAttribute("aria-label", marker.options.title);
        icon.setAttribute("data-count", String(c.count));
        if (c.id) icon.setAttribute("data-id", String(c.id));
        icon.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); marker.fire("click"); }
        });
      }
    });
  };

  MapApp.prototype.zoomInto = function (c) {
    var b = c.bounds, bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      this.map.setView(bounds.getCenter(), Math.min(this.map.getZoom() + 3, 18));
    } else {
      this.map.fitBounds(bounds.pad(0.2), { maxZoom: 18 });
    }
  };

  MapApp.prototype.drawList = function (body) {
    var self = this;
    this.list.textContent = "";
    this.status.textContent = body.total === 1 ? this.t.result : fmt(this.t.results, { n: this.number.format(body.total) });
    body.items.forEach(function (item) {
      var li = el("li"), card = self.buildCard(item, false);
      li.appendChild(card);
      self.list.appendChild(li);
    });
  };

  MapApp.prototype.drawFacets = function (facets) {
    var select = this.form.elements.support;
    if (!select) return;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var base = option.getAttribute("data-label") || option.textContent.replace(/\s*\(\d+\)$/, "");
      option.setAttribute("data-label", base);
      option.textContent = base + " (" + (facets.support[option.value] || 0) + ")";
    });
  };

  // Nothing in view: say so, then what is further away and what other filters would find.
  MapApp.prototype.explainNothing = function (my) {
    var self = this;
    this.getJson(this.o.api.initiatives, this.apiParams({ limit: 0 })).then(function (body) {
      if (my !== self.seq) return;
      var box = self.nothing, t = self.t;
      box.textContent = "";
      if (body.total > 0) {
        box.appendChild(el("p", "lead", t.noneInView));
        var all = el("button", "link", fmt(t.results, { n: body.total }));
        all.type = "button";
        all.addEventListener("click", function () { self.showAll(); });
        box.appendChild(all);
      } else {
        box.appendChild(el("p", "lead", t.none));
        var s = body.suggestions || { without: {}, nearest: [] };
        var ul = el("ul", "widen");
        Object.keys(s.without).forEach(function (name) {
          if (!s.without[name]) return;
          var li = el("li"), b = el("button", "link", fmt(t.remove, { filter: t.filters[name], n: s.without[name] }));
          b.type = "button";
          b.addEventListener("click", function () { self.dropFilter(name); });
          li.appendChild(b);
          ul.appendChild(li);
        });
        if (ul.children.length) box.appendChild(ul);
        self.noteNothing(s.nearest || []);
        if (s.nearest && s.nearest.length) {
          box.appendChild(el("p", null, t.nearest));
          var ol = el("ol", "results");
          s.nearest.forEach(function (item) {
            var li = el("li");
            li.appendChild(self.buildCard(item, false));
            ol.appendChild(li);
          });
          box.appendChild(ol);
        }
      }
      box.hidden = false;
    });
  };

  // Never a blank map: say so on the map, and put the nearest matches on it.
  MapApp.prototype.noteNothing = function (nearest) {
    var self = this, note = this.note, t = this.t;
    note.textContent = "";
    note.appendChild(el("p", null, t.none));
    nearest.forEach(function (item) {
      var marker = L.marker([item.latitude, item.longitude], {
        icon: L.divIcon({ className: "pin nearest", html: "", iconSize: [26, 26], iconAnchor: [13, 26] }),
        title: item.name, keyboard: true,
      }).addTo(self.nearestLayer);
      marker.on("click", function () { self.openCard(item.id, item.distance_m, false); });
    });
    if (nearest.length) {
      var show = el("button", "link", t.showNearest);
      show.type = "button";
      show.addEventListener("click", function () {
        var points = nearest.map(function (i) { return [i.latitude, i.longitude]; });
        var near = self.near();
        if (near) points.push(near);
        self.map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 13 });
      });
      note.appendChild(show);
    }
    note.hidden = false;
  };

  MapApp.prototype.showAll = function () {
    var self = this;
    this.getJson(this.o.api.clusters, this.apiParams({ zoom: 3 })).then(function (body) {
      if (!body.clusters.length) return;
      var bounds = L.latLngBounds(body.clusters.map(function (c) { return [c.latitude, c.longitude]; }));
      self.map.fitBounds(bounds.pad(0.2), { maxZoom: 12 });
    });
  };

  MapApp.prototype.dropFilter = function (name) {
    var state = Object.assign({}, this.state);
    delete state[name];
    if (name === "near") { delete state.place; this.nearMe = null; }
    this.setState(state, true);
    this.writeForm();
  };

  // ---- the details card ---------------------------------------------------

  MapApp.prototype.distanceText = function (metres) {
    if (metres === null || metres === undefined) return "";
    if (metres < 1000) return fmt(this.t.m, { n: this.number.format(Math.round(metres / 10) * 10) });
    var km = metres < 10000 ? Math.round(metres / 100) / 10 : Math.round(metres / 1000);
    return fmt(this.t.km, { n: this.number.format(km) });
  };

  // "A, B and C" as the page's language writes it, like the server's join_list.
  MapApp.prototype.joinList = function (items) {
    if (!this.listFormat && window.Intl && Intl.ListFormat) this.listFormat = new Intl.ListFormat(this.lang, { type: "conjunction" });
    return this.listFormat ? this.listFormat.format(items) : items.join(", ");
  };

  MapApp.prototype.actions = function (item) {
    var t = this.t, found = [];
    if (item.phone) found.push(["call", t.call, "tel:" + digits(item.phone)]);
    if (item.whatsapp) found.push(["whatsapp", t.whatsapp, "https://wa.me/" + digits(item.whatsapp).replace(/^\+/, "")]);
    if (item.website && safeHref(item.website) && /^https?:/i.test(item.website)) found.push(["website", t.website, item.website]);
    if (item.email) found.push(["email", t.email, "mailto:" + encodeURIComponent(item.email).replace("%40", "@")]);
    if (item.latitude !== null && item.longitude !== null) {
      var at = item.latitude + "," + item.longitude;
      found.push(["directions", t.directions, "geo:" + at]);
      found.push(["osm", t.osm, "https://www.openstreetmap.org/?mlat=" + item.latitude + "&mlon=" + item.longitude +
        "#map=17/" + item.latitude + "/" + item.longitude]);
    }
    return found;
  };

  MapApp.prototype.buildCard = function (item, full) {
    var self = this, t = this.t, labels = this.labels;
    var card = el("article", "card");
    var title = el(full ? "h2" : "h3", "card-title");
    var name = el("a", null, item.name);
    name.href = this.o.api.detail + item.id + this.langQuery;
    if (!full) {
      name.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        self.map.setView([item.latitude, item.longitude], Math.max(self.map.getZoom(), 14));
        self.openCard(item.id, item.distance_m, false);
      });
    }
    title.appendChild(name);
    card.appendChild(title);
    if (item.example) card.appendChild(el("p", "badge", t.example));
    var where = el("p", "where");
    if (item.distance_m !== undefined && item.distance_m !== null) {
      where.appendChild(el("strong", null, fmt(t.away, { d: this.distanceText(item.distance_m) })));
      where.appendChild(document.createTextNode(" · "));
    }
    var country = labels.country[item.country] || item.country;
    var place = [item.address, [item.postcode, item.city].filter(Boolean).join(" ")].filter(Boolean);
    place.forEach(function (part) {
      where.appendChild(el("bdi", null, part));
      where.appendChild(document.createTextNode(", "));
    });
    where.appendChild(document.createTextNode(country));
    card.appendChild(where);
    var tags = el("ul", "tags support");
    item.support_types.forEach(function (s) { tags.appendChild(el("li", null, labels.support[s] || s)); });
    card.appendChild(tags);
    if (full && item.target_groups.length) {
      card.appendChild(el("p", "for", t.for + ": " + item.target_groups.map(function (g) { return labels.target[g] || g; }).join(", ")));
    }
    if (item.languages.length) {
      var speaks = el("p", "speaks");
      speaks.appendChild(el("span", "k", t.speaks + ": "));
      speaks.appendChild(document.createTextNode(self.joinList(item.languages.map(function (l) { return labels.language[l] || l; }))));
      card.appendChild(speaks);
    }
    var days = Object.keys(labels.days).filter(function (d) { return item.opening_hours[d]; });
    if (days.length) {
      var hours = el("p", "hours");
      hours.appendChild(el("span", "k", t.hours + ": "));
      var open = openAt(item.opening_hours, item.time_zone, new Date());
      if (open !== null) {
        hours.appendChild(open ? el("strong", "open-now", t.openNow) : el("span", "closed-now", t.closedNow));
        hours.appendChild(document.createTextNode(" · "));
      }
      hours.appendChild(document.createTextNode(days.map(function (d) {
        return labels.days[d] + " " + item.opening_hours[d].map(function (r) { return r[0] + "–" + r[1]; }).join(", ");
      }).join("; ")));
      card.appendChild(hours);
    }
    if (item.opening_hours_note) card.appendChild(el("p", "hours-note", item.opening_hours_note)).dir = "auto";
    if (full && item.description) card.appendChild(el("p", "description", item.description)).dir = "auto";
    if (item.verified) {
      var date = new Date(item.verified + "T12:00:00Z");
      var shown = isNaN(date) ? item.verified : date.toLocaleDateString(this.lang, { year: "numeric", month: "short", day: "numeric" });
      card.appendChild(el("p", "verified", fmt(t.verified, { date: shown })));
    }
    var actions = el("ul", "actions");
    this.actions(item).forEach(function (a) {
      var li = el("li"), link = el("a", "action action-" + a[0], a[1]);
      link.href = a[2];
      link.rel = "noreferrer noopener";
      if (a[0] === "website" || a[0] === "whatsapp" || a[0] === "osm") link.target = "_blank";
      li.appendChild(link);
      actions.appendChild(li);
    });
    card.appendChild(actions);
    return card;
  };

  MapApp.prototype.openCard = function (id, distance, centre) {
    var self = this;
    this.getJson(this.o.api.one + id, new URLSearchParams()).then(function (item) {
      if (distance === null || distance === undefined) {
        var near = self.near();
        if (near) distance = L.latLng(near[0], near[1]).distanceTo([item.latitude, item.longitude]);
      }
      item.distance_m = distance;
      var box = self.card;
      box.textContent = "";
      var close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", self.t.close);
      close.addEventListener("click", function () { box.hidden = true; box.textContent = ""; });
      box.appendChild(close);
      box.appendChild(self.buildCard(item, true));
      var more = el("a", "more", self.t.more);
      more.href = self.o.api.detail + item.id + self.langQuery;
      box.appendChild(more);
      box.hidden = false;
      if (centre) self.map.setView([item.latitude, item.longitude], 14);
      box.focus({ preventScroll: false });
    }).catch(function () { self.status.textContent = self.t.error; });
  };

  // ---- near a place, near me ----------------------------------------------

  MapApp.prototype.setupPlaceSearch = function () {
    var self = this, box = this.options, place = this.place;
    // A combobox only where the script runs: without it the field is a plain search box.
    place.setAttribute("role", "combobox");
    place.setAttribute("aria-autocomplete", "list");
    place.setAttribute("aria-controls", box.id);
    place.setAttribute("aria-expanded", "false");
    new MutationObserver(function () {
      place.setAttribute("aria-expanded", box.hidden ? "false" : "true");
    }).observe(box, { attributes: true, attributeFilter: ["hidden"] });
    var suggest = debounce(function () {
      var text = self.place.value.trim();
      if (text.length < 2) { box.hidden = true; return; }
      var params = new URLSearchParams({ q: text });
      self.getJson(self.o.api.geocode, params).then(function (body) {
        if (self.place.value.trim() !== text) return;
        box.textContent = "";
        body.places.forEach(function (p, i) {
          var li = el("li", null, p.name + " (" + p.country + ")");
          li.id = "place-option-" + i;
          li.setAttribute("role", "option");
          li.tabIndex = -1;
          li.addEventListener("mousedown", function (e) { e.preventDefault(); self.pickPlace(p); });
          li.addEventListener("keydown", function (e) {
            if (e.key === "Enter") { e.preventDefault(); self.pickPlace(p); }
            if (e.key === "ArrowDown" && li.nextSibling) li.nextSibling.focus();
            if (e.key === "ArrowUp") (li.previousSibling || self.place).focus();
            if (e.key === "Escape") { box.hidden = true; self.place.focus(); }
          });
          box.appendChild(li);
        });
        box.hidden = !body.places.length;
      }).catch(function () { box.hidden = true; });
    }, 250);
    this.place.addEventListener("input", function () {
      self.nearMe = null;
      suggest();
    });
    this.place.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !box.hidden && box.firstChild) { e.preventDefault(); box.firstChild.focus(); }
      if (e.key === "Escape") box.hidden = true;
    });
    this.place.addEventListener("blur", function () { setTimeout(function () {
      if (!box.contains(document.activeElement)) box.hidden = true;
    }, 150); });
  };

  MapApp.prototype.pickPlace = function (p) {
    this.options.hidden = true;
    this.place.value = p.name;
    this.nearMe = null;
    var state = this.readForm();
    state.place = p.name;
    state.near = p.latitude.toFixed(4) + "," + p.longitude.toFixed(4);
    this.setState(state, true);
    this.place.focus();
  };

  MapApp.prototype.submitPlace = function () {
    var self = this, text = this.place.value.trim(), state = this.readForm();
    if (!text || text === this.t.myLocation || text === this.state.place) {
      if (!text) { delete state.near; delete state.place; this.nearMe = null; }
      this.setState(state, true);
      return;
    }
    this.getJson(this.o.api.geocode, new URLSearchParams({ q: text })).then(function (body) {
      if (body.places.length) self.pickPlace(body.places[0]);
      else self.status.textContent = self.t.placeNotFound;
    }).catch(function () { self.status.textContent = self.t.placeNotFound; });
  };

  MapApp.prototype.setupNearMe = function () {
    var self = this, button = document.getElementById("near-me");
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      self.status.textContent = self.t.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Rounded to about 100 m, held in this page only: never in the URL or history.
        self.nearMe = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
        var state = self.readForm();
        delete state.place;
        delete state.near;
        self.place.value = self.t.myLocation;
        self.setState(state, false);
      }, function () { self.status.textContent = self.t.noLocation; }, { timeout: 15000, maximumAge: 60000 });
    });
  };
})();
