// The gateway's live dashboard: renders /dashboard/data, kept current by server-sent events (/dashboard/events),
// or by polling when live updates are refused or a token is needed (#token=... in the address).
"use strict";

const token = new URLSearchParams(location.hash.slice(1)).get("token");
const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
const width = (node, share) => { node.style.width = `${Math.round(share * 100)}%`; return node; };
const pill = (text, colour, attributes = {}) => el("span", { class: `pill pill-${colour}`, ...attributes }, text);
const ms = (value) => (value === null || value === undefined ? "–" : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);
const percent = (ratio) => `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`;
const circuitColour = { closed: "green", "half-open": "amber", open: "red" };
const consulColour = { passing: "green", warning: "amber", critical: "red" };

function ago(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

function renderRoutes(routes) {
  $("routes").replaceChildren(...routes.map((route) => {
    const policies = [];
    policies.push(route.authenticated ? pill(`auth ${(route.scopes || []).join(" ")}`.trim(), "blue") : pill("anonymous", "grey"));
    if (route.rateLimit) policies.push(pill(`limit ${route.rateLimit}${route.rateLimited ? ` · ${route.rateLimited} refused` : ""}`, route.rateLimited ? "amber" : "grey"));
    if (route.cacheSeconds) policies.push(pill(`cache ${route.cacheSeconds} s · ${route.cacheHits}/${route.cacheHits + route.cacheMisses} hits`, "grey"));
    if (route.qos) policies.push(pill(route.qos, "grey"));
    if (route.circuit) policies.push(pill(`circuit ${route.circuit}`, circuitColour[route.circuit], { class: `pill pill-${circuitColour[route.circuit]} circuit`, "data-state": route.circuit }));
    const t = route.traffic;
    const errorClass = t.errorRatio >= 0.05 ? "num bad" : t.errorRatio > 0 ? "num warn" : "num";
    return el("tr", { "data-route": route.route, "data-methods": route.methods.join(",") },
      el("td", {}, route.methods.map((m) => el("span", { class: "method" }, m)), el("span", { class: "route-name" }, route.route)),
      el("td", { class: "muted" }, route.downstream),
      el("td", {}, policies),
      el("td", { class: "num rate" }, t.perSecond.toFixed(2)),
      el("td", { class: errorClass }, percent(t.errorRatio)),
      el("td", { class: "num" }, ms(t.p50Ms)),
      el("td", { class: "num" }, ms(t.p99Ms)),
      el("td", { class: "num total" }, t.total));
  }));
}

// The gateway balances over the instances Consul says pass, less those its passive health ejected.
function rotation(instance) {
  if (instance.ejectedUntil) {
    const seconds = Math.max(0, Math.round((Date.parse(instance.ejectedUntil) - Date.now()) / 1000));
    return pill(`ejected ${seconds} s`, "red", { class: "pill pill-red ejected" });
  }
  return instance.consul === "passing" ? pill("in rotation", "green") : pill("not routed", "grey");
}

function renderServices(services) {
  if (services.length === 0) {
    $("services").replaceChildren(el("div", { class: "service muted" }, "No service discovery configured."));
    return;
  }
  $("services").replaceChildren(...services.map((service) => el("div", { class: "service", "data-service": service.name },
    el("h3", {}, service.name, " ",
      service.discovery ? pill(`watch ${service.discovery.toLowerCase()}`, service.discovery === "Healthy" ? "green" : "amber") : null,
      service.error ? pill(service.error, "red") : null),
    service.instances.length === 0 && !service.error ? el("div", { class: "muted" }, "no instance registered") : null,
    service.instances.map((instance) => el("div", { class: "instance", "data-instance": instance.id, "data-consul": instance.consul },
      el("span", {}, `${instance.address}:${instance.port}`, " ", el("span", { class: "muted" }, instance.id)),
      el("span", {},
        pill(instance.consul, consulColour[instance.consul] || "grey"),
        rotation(instance))))
  )));
}

function renderCircuits(circuits) {
  $("circuits").replaceChildren(...(circuits.length === 0
    ? [el("li", { class: "empty" }, "All circuits closed.")]
    : circuits.map((c) => el("li", { "data-circuit": c.route, "data-state": c.state },
        pill(c.state, circuitColour[c.state]), el("span", { class: "route-name" }, c.route),
        c.state === "open" ? el("span", { class: "muted" }, ` · retries in ${Math.ceil(c.retryAfterSeconds)} s`) : null))));
}

function renderRateLimits(limits) {
  $("rate-limits").replaceChildren(...(limits.length === 0
    ? [el("li", { class: "empty" }, "No client is near a limit.")]
    : limits.map((l) => {
        const share = l.limit > 0 ? Math.min(1, l.used / l.limit) : 1;
        return el("li", { "data-rate-limit": l.route },
          l.rejected ? pill("refusing", "red") : pill("near limit", "amber"),
          el("span", { class: "route-name" }, l.route), el("span", { class: "muted" }, ` · client ${l.client}`),
          el("div", { class: "muted small" }, l.limit > 0 ? `${l.used} of ${l.limit}` : "over the limit", ` · resets in ${Math.ceil(l.resetsInSeconds)} s`),
          el("div", { class: `bar${share >= 1 ? " full" : ""}` }, width(el("span"), share)));
      })));
}

function render(snapshot) {
  $("gateway").textContent = snapshot.gateway;
  $("config-version").textContent = snapshot.configuration.version;
  $("config-loaded").textContent = ago(snapshot.configuration.loadedAt);
  $("config-loaded").title = `${snapshot.configuration.source}, loaded ${snapshot.configuration.loadedAt}`;
  $("config-reloads").textContent = snapshot.configuration.reloads === 1 ? "1 reload" : `${snapshot.configuration.reloads} reloads`;

  const routes = snapshot.routes;
  const perSecond = routes.reduce((sum, r) => sum + r.traffic.perSecond, 0);
  const total = routes.reduce((sum, r) => sum + r.traffic.total, 0);
  const errors = routes.reduce((sum, r) => sum + r.traffic.errorRatio * r.traffic.perSecond, 0);
  $("total-rate").textContent = perSecond.toFixed(2);
  $("total-requests").textContent = total;
  $("total-errors").textContent = perSecond > 0 ? percent(errors / perSecond) : "–";
  $("total-errors").className = `value${errors > 0 ? " bad" : ""}`;
  $("open-circuit-count").textContent = snapshot.openCircuits.filter((c) => c.state === "open").length;
  $("open-circuit-count").className = `value${snapshot.openCircuits.some((c) => c.state === "open") ? " bad" : ""}`;
  const lookups = snapshot.cache.hits + snapshot.cache.misses;
  $("cache-ratio").textContent = lookups > 0 ? percent(snapshot.cache.hits / lookups) : "–";
  $("cache-detail").textContent = `${snapshot.cache.hits} hits · ${snapshot.cache.misses} misses · ${snapshot.cache.entries ?? "shared"} entries`;

  renderRoutes(routes);
  renderServices(snapshot.services);
  renderCircuits(snapshot.openCircuits);
  renderRateLimits(snapshot.rateLimits);
  $("updated").textContent = new Date(snapshot.at).toLocaleTimeString();
}

function connection(state, text, colour) {
  const badge = $("connection");
  badge.dataset.state = state;
  badge.className = `pill pill-${colour}`;
  badge.textContent = text;
}

async function poll() {
  try {
    const response = await fetch("data", { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: "no-store" });
    if (!response.ok) {
      connection("refused", response.status === 401 || response.status === 403 ? "token needed" : `error ${response.status}`, "red");
    } else {
      render(await response.json());
      connection("polling", "live (polling)", "green");
    }
  } catch {
    connection("offline", "gateway unreachable", "red");
  }
  setTimeout(poll, 2000);
}

function listen() {
  const events = new EventSource("events");
  let received = false;
  events.onmessage = (message) => {
    received = true;
    render(JSON.parse(message.data));
    connection("live", "live", "green");
  };
  events.onerror = () => {
    if (!received) {
      // Refused (too many live pages) or not supported on the way: poll instead.
      events.close();
      poll();
    } else {
      connection("reconnecting", "reconnecting", "amber");
    }
  };
}

if (token) poll(); else listen();
