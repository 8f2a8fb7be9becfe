/* The volunteer's form: find the address as it is typed and show it as a pin that can be moved.
   Without this script the form still works: the server finds the address when the form is sent. */
(function () {
  "use strict";
  var area = document.getElementById("pin-area");
  if (!area || !window.L) return;
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var precision = document.getElementById("precision");
  var status = document.getElementById("pin-status");
  var fields = ["address", "postcode", "city", "country"].map(function (id) { return document.getElementById(id); });
  area.hidden = false;

  var map = L.map("pin-map", { scrollWheelZoom: false }).setView([50, 12], 4);
  L.tileLayer(area.dataset.tiles, { attribution: area.dataset.attribution, maxZoom: 19 }).addTo(map);
  var marker = null;
  var manual = false; // once the volunteer places the pin, typing no longer moves it
  var request = 0;
  var timer = null;

  function say(text) { status.textContent = text; }

  function put(latlng, how, placeName, found) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    precision.value = how === "found" ? found : "exact"; // a pin placed by hand is where the volunteer says
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: status.dataset.placed }).addTo(map);
      marker.on("dragend", function () { manual = true; put(marker.getLatLng(), "placed"); });
    } else {
      marker.setLatLng(latlng);
    }
    say(how === "found" ? status.dataset.found.replace("{place}", placeName) : status.dataset.placed);
  }

  function clear() {
    lat.value = ""; lon.value = ""; precision.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
  }

  map.on("click", function (e) { manual = true; put(e.latlng, "placed"); });

  function lookup(q, country) {
    var url = area.dataset.geocode + "?q=" + encodeURIComponent(q) + (country ? "&country=" + country : "");
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.ok ? r.json() : { places: [] };
    }).then(function (body) { return body.places || []; });
  }

  function find() {
    if (manual) return;
    var address = fields[0].value.trim(), postcode = fields[1].value.trim(), city = fields[2].value.trim();
    var country = fields[3].value;
    if (!city) return;
    var mine = ++request;
    var line = [address, (postcode + " " + city).trim()].filter(Boolean).join(", ");
    lookup(line, country).then(function (places) {
      return places.length || line === city ? places : lookup(city, country);
    }).then(function (places) {
      if (mine !== request || manual) return; // a newer question, or the volunteer took over
      if (!places.length) { clear(); say(status.dataset.missing); return; }
      var p = places[0];
      put(L.latLng(p.latitude, p.longitude), "found", p.name, p.precision);
      map.setView([p.latitude, p.longitude], p.precision === "city" ? 13 : 17);
    }).catch(function () { /* offline: the server finds the address when the form is sent */ });
  }

  fields.forEach(function (input) {
    if (!input) return;
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", function () {
      clearTimeout(timer);
      timer = setTimeout(find, 600);
    });
  });

  if (lat.value && lon.value) {
    var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
    var kept = precision.value;
    put(start, "placed");
    precision.value = kept; // showing the stored point does not make it exact
    // typing a new address still moves it; dragging or tapping makes it the volunteer's choice
    map.setView(start, 16);
  } else {
    say(status.dataset.none);
  }
  var summary = document.getElementById("error-summary") || document.getElementById("dup-heading");
  if (summary) summary.focus();
})();
