// The usage dashboard: reads the audit API (/admin/usage, /admin/requests) with the session cookie
// and draws it with uPlot. Whatever comes from the database (key names, user agents…) goes into the
// page as text (textContent, title), never as HTML.
'use strict';

const REFRESH_MS = 5000;
const LATEST_ROWS = 25;
const KEY_COLORS = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16'];
const OTHER_COLOR = '#9ca3af'; // the keys past the first eight, summed
const CHART_HEIGHT = 240;
const DAY_SECONDS = 86400;

const $ = id => document.getElementById(id);
const today = document.body.dataset.today; // in the proxy's time zone
const charts = {};
let drawnData = ''; // what the charts show, to redraw them only when it changes
let timer = null;
let busy = false;

// ---- days: "2026-11-24" strings; on the charts, that day's midnight UTC shown in UTC ----

function addDays(day, n) {
    const d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}

function dayList(from, to) {
    const days = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    return days;
}

// ---- formats ----

const count = n => (n == null ? '–' : n.toLocaleString('en-US'));
const ms = v => (v == null ? '–' : count(v) + ' ms');
const percent = r => (r == null ? '–' : r === 0 ? '0%' : (r * 100).toFixed(r < 0.01 ? 2 : 1) + '%');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Dollars and cents from $1 up; below that, every nano-dollar the API gives (LLM calls cost fractions of a cent). */
function usd(v) {
    if (v == null) return '–';
    if (v >= 1) return '$' + v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return '$' + v.toFixed(9).replace(/(\.\d\d\d*?)0+$/, '$1');
}

const usdTick = v => '$' + v.toLocaleString('en-US', v >= 1 ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 3 });

let timeFormat;
try {
    timeFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: document.body.dataset.zone, dateStyle: 'short', timeStyle: 'medium' });
} catch (e) { // a fixed offset such as "+02:00" is no IANA zone
    timeFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'medium' });
}

// Refused before a key was known (a wrong key): no key id (null in the log, "" in the usage report).
const keyLabel = row => (row.key_id ? row.key_name || row.key_id : '(no key)');

// ---- the page's building blocks ----

function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
}

function cell(content, className) {
    const td = el('td', className);
    if (content instanceof Node) td.append(content);
    else td.textContent = content;
    return td;
}

function emptyRow(columns, text) {
    const td = cell(text, 'empty');
    td.colSpan = columns;
    const tr = el('tr');
    tr.append(td);
    return tr;
}

// ---- fetching ----

async function api(path, params) {
    const res = await fetch(path + '?' + new URLSearchParams(params), { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (res.status === 401) { // the session expired or was closed: back to the sign-in form
        location.reload();
        throw new Error('signed out');
    }
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body && body.error ? body.error.message : 'HTTP ' + res.status);
    return body;
}

async function refresh() {
    const from = $('from').value;
    const to = $('to').value;
    if (busy || !from || !to) return;
    if (from > to) return showError('The range starts after it ends.');
    busy = true;
    try {
        const range = { from, to };
        const [byDayKey, byKey, byDay, latest] = await Promise.all([
            api('usage', { ...range, group_by: 'day,key' }),
            api('usage', { ...range, group_by: 'key' }),
            api('usage', { ...range, group_by: 'day' }),
            api('requests', { ...range, order: 'desc', limit: LATEST_ROWS }),
        ]);
        const keys = [...byKey.data].sort((a, b) => b.cost_usd - a.cost_usd || b.requests - a.requests);
        showTotals(byDay.total || {});
        showTopKeys(keys);
        const data = JSON.stringify([from, to, byDayKey.data, byDay.data, keys.map(k => k.key_id)]);
        if (data !== drawnData) {
            drawCharts(dayList(from, to), keys, byDayKey.data, byDay.data, byDay.total || {});
            drawnData = data;
        }
        showLatest(latest);
        $('error').hidden = true;
        $('status').textContent = 'Updated ' + timeFormat.format(new Date()).slice(11);
        document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
    } catch (e) {
        showError('Could not load the data: ' + e.message);
    } finally {
        busy = false;
    }
}

function showError(text) {
    $('error').textContent = text;
    $('error').hidden = false;
}

// ---- tiles and tables ----

function showTotals(t) {
    const any = t.requests > 0;
    $('t-spend').textContent = usd(t.cost_usd || 0);
    $('t-requests').textContent = count(t.requests || 0);
    $('t-tokens').textContent = count(t.total_tokens || 0);
    $('t-tokens-split').textContent = any ? count(t.prompt_tokens) + ' in · ' + count(t.completion_tokens) + ' out' : '';
    $('t-errors').textContent = any ? percent(t.error_rate) : '–';
    $('t-errors-count').textContent = any ? count(t.errors) + ' of ' + count(t.requests) : '';
    $('t-p50').textContent = ms(t.latency_p50_ms);
    $('t-p95').textContent = ms(t.latency_p95_ms);
}

const keyColor = i => (i < KEY_COLORS.length ? KEY_COLORS[i] : OTHER_COLOR);

function showTopKeys(keys) {
    const body = $('top-keys').tBodies[0];
    if (keys.length === 0) return body.replaceChildren(emptyRow(8, 'No requests in this range.'));
    const top = Math.max(...keys.map(k => k.cost_usd));
    body.replaceChildren(...keys.map((k, i) => {
        const name = el('span', 'key');
        const swatch = el('span', 'swatch');
        swatch.style.background = keyColor(i);
        name.append(swatch, el('span', 'name', keyLabel(k)));
        name.title = k.key_id ? keyLabel(k) + '\n' + k.key_id : 'Requests refused before a key was known';
        const bar = el('span', 'share-bar');
        const fill = el('span');
        fill.style.width = (top > 0 ? (100 * k.cost_usd) / top : 0) + '%';
        bar.append(fill);
        const tr = el('tr');
        tr.append(cell(name), cell(usd(k.cost_usd), 'num'), cell(bar, 'share'), cell(count(k.requests), 'num'),
            cell(count(k.total_tokens), 'num'), cell(percent(k.error_rate), k.errors > 0 ? 'num bad' : 'num'),
            cell(ms(k.latency_p50_ms), 'num'), cell(ms(k.latency_p95_ms), 'num'));
        return tr;
    }));
}

function showLatest(page) {
    const body = $('latest').tBodies[0];
    $('latest-note').textContent = page.has_more ? 'newest ' + LATEST_ROWS + ' in range' : page.data.length + ' in range';
    if (page.data.length === 0) return body.replaceChildren(emptyRow(10, 'No requests in this range.'));
    body.replaceChildren(...page.data.map(r => {
        const at = timeFormat.format(new Date(r.time)); // "2026-11-24 10:00:00"
        const time = cell(at.slice(5), 'nowrap');
        time.title = at + '\n' + r.request_id;
        const status = el('span', r.status < 400 ? 'badge ok' : 'badge err', String(r.status));
        const statusCell = cell(status, 'nowrap');
        if (r.error_code || r.error_type) statusCell.append(' ', el('span', 'muted', r.error_code || r.error_type));
        const client = cell(r.user_agent || r.client_address || '–', 'client');
        client.title = [r.client_address, r.user_agent, r.user && 'user: ' + r.user].filter(Boolean).join('\n');
        const tokens = r.prompt_tokens == null && r.completion_tokens == null ? '–'
            : count(r.prompt_tokens || 0) + ' / ' + count(r.completion_tokens || 0);
        const tr = el('tr');
        const key = cell(keyLabel(r), 'clip');
        key.title = keyLabel(r);
        tr.append(time, key, cell(r.model_served || r.model_requested || '–', 'nowrap'),
            cell(r.endpoint + (r.stream ? ' · stream' : ''), 'nowrap'), statusCell, cell(tokens, 'num'),
            cell(usd(r.cost_usd), 'num'), cell(ms(r.latency_ms), 'num'), cell(ms(r.first_token_ms), 'num'), client);
        return tr;
    }));
}

// ---- charts ----

/** Fits a y axis to its longest label (uPlot's own recipe). */
function axisSize(u, values, axisIdx, cycleNum) {
    const axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    const longest = (values || []).reduce((a, v) => (v.length > a.length ? v : a), '');
    u.ctx.font = axis.font[0];
    return Math.ceil(axis.ticks.size + axis.gap + u.ctx.measureText(longest).width / devicePixelRatio) + 4;
}

function draw(id, opts, data) {
    const target = $(id);
    if (charts[id]) charts[id].destroy();
    charts[id] = new uPlot({
        width: target.clientWidth,
        height: CHART_HEIGHT,
        tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), 'UTC'), // x values are days, kept as midnight UTC
        scales: { x: { time: true, range: (u, min, max) => [min - DAY_SECONDS / 2, max + DAY_SECONDS / 2] } },
        ...opts,
    }, data, target);
}

const dayLegend = (u, v, si, idx) => (idx == null ? 'all' : new Date(v * 1000).toISOString().slice(0, 10));

const bars = () => uPlot.paths.bars({ size: [0.7, 60], gap: 1 });

/**
 * Bars per day stacked by key. uPlot draws series in order, so series k holds the running total of
 * keys k… and comes before the shorter ones that paint over it: what shows of it is key k's own part.
 * Its legend shows key k's own value: for the hovered day, else for the whole range.
 */
function stackedBars(id, xs, labels, colors, series, format, tick) {
    const stacked = series.map((_, k) => xs.map((_, i) => series.slice(k).reduce((sum, s) => sum + s[i], 0)));
    draw(id, {
        series: [{ label: 'Day', value: dayLegend }, ...labels.map((label, k) => ({
            label, fill: colors[k], stroke: colors[k], width: 0, paths: bars(), points: { show: false },
            value: (u, v, si, idx) => format(idx == null ? series[k].reduce((a, b) => a + b, 0) : series[k][idx]),
        }))],
        axes: [{}, { values: (u, vals) => vals.map(tick), size: axisSize }],
    }, [xs, ...stacked]);
}

function drawCharts(days, keys, byDayKey, byDay, total) {
    const xs = days.map(d => Date.parse(d + 'T00:00:00Z') / 1000);
    const dayIndex = new Map(days.map((d, i) => [d, i]));
    const shown = keys.slice(0, KEY_COLORS.length);
    const slot = new Map(shown.map((k, i) => [k.key_id, i]));
    const labels = shown.map(keyLabel);
    const colors = shown.map((_, i) => KEY_COLORS[i]);
    if (keys.length > shown.length) {
        labels.push('Other keys');
        colors.push(OTHER_COLOR);
    }
    const spend = labels.map(() => xs.map(() => 0));
    const tokens = labels.map(() => xs.map(() => 0));
    for (const row of byDayKey) {
        const i = dayIndex.get(row.day);
        const k = slot.has(row.key_id) ? slot.get(row.key_id) : shown.length;
        if (i === undefined || k >= labels.length) continue;
        spend[k][i] += row.cost_usd;
        tokens[k][i] += row.total_tokens;
    }
    stackedBars('chart-spend', xs, labels, colors, spend, usd, usdTick);
    stackedBars('chart-tokens', xs, labels, colors, tokens, count, v => compact.format(v));

    const p50 = xs.map(() => null);
    const p95 = xs.map(() => null);
    const errors = xs.map(() => null);
    for (const row of byDay) {
        const i = dayIndex.get(row.day);
        if (i === undefined || !row.requests) continue;
        p50[i] = row.latency_p50_ms;
        p95[i] = row.latency_p95_ms;
        errors[i] = row.error_rate * 100;
    }
    // Off the chart, the legend shows the whole range's figures.
    const orTotal = (format, all) => (u, v, si, idx) => format(idx == null ? all : v);
    draw('chart-latency', {
        scales: {
            x: { time: true, range: (u, min, max) => [min - DAY_SECONDS / 2, max + DAY_SECONDS / 2] },
            ms: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] },
            pct: { range: (u, min, max) => [0, Math.min(100, Math.max(10, max * 1.2))] },
        },
        series: [
            { label: 'Day', value: dayLegend },
            { label: 'Error rate', scale: 'pct', fill: 'rgba(239, 68, 68, 0.25)', stroke: '#ef4444', width: 0, paths: bars(),
                points: { show: false }, value: orTotal(v => (v == null ? '–' : percent(v / 100)), total.requests ? total.error_rate * 100 : null) },
            { label: 'p50', scale: 'ms', stroke: '#2563eb', width: 2, points: { show: true, size: 6 }, value: orTotal(ms, total.latency_p50_ms) },
            { label: 'p95', scale: 'ms', stroke: '#7c3aed', width: 2, dash: [6, 4], points: { show: true, size: 6 }, value: orTotal(ms, total.latency_p95_ms) },
        ],
        axes: [
            {},
            { scale: 'ms', values: (u, vals) => vals.map(v => compact.format(v) + ' ms'), size: axisSize },
            { scale: 'pct', side: 1, grid: { show: false }, values: (u, vals) => vals.map(v => v + '%'), size: axisSize },
        ],
    }, [xs, errors, p50, p95]);
}

// ---- range and refresh ----

function setRange(days) {
    $('to').value = today;
    $('from').value = addDays(today, -(days - 1));
    rangeChanged();
}

function rangeChanged() {
    const days = $('to').value === today && $('from').value ? dayList($('from').value, today).length : 0;
    for (const b of document.querySelectorAll('.presets button')) b.classList.toggle('active', Number(b.dataset.days) === days);
    refresh();
}

function schedule() {
    clearInterval(timer);
    timer = $('auto').checked ? setInterval(refresh, REFRESH_MS) : null;
}

for (const b of document.querySelectorAll('.presets button')) b.addEventListener('click', () => setRange(Number(b.dataset.days)));
$('from').addEventListener('change', rangeChanged);
$('to').addEventListener('change', rangeChanged);
$('range').addEventListener('submit', e => e.preventDefault());
$('auto').addEventListener('change', schedule);
window.addEventListener('resize', () => {
    for (const [id, chart] of Object.entries(charts)) chart.setSize({ width: $(id).clientWidth, height: CHART_HEIGHT });
});

setRange(30);
schedule();
