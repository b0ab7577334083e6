/* orgsim report: time. The page's only time arithmetic: it applies the UTC offsets orgsim embedded, one table
 * per zone (from pendulum), and computes no offset of its own. Pure functions, no page: the same file is loaded by
 * the page and by the tests (Node's built-in test runner reads it as a CommonJS module), which check it against
 * vectors generated from orgsim.times, so the page reads a typed instant exactly as `orgsim state --at` does.
 */
var OrgsimTime = (function () {
  "use strict";

  var MIN = 60000, DAY = 24 * 60 * MIN;
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  /* The time functions over one set of offset tables: {zone name: [[from_ms, minutes, abbreviation], ...]}. */
  function withZones(ZONES) {

    function entryAt(zone, ms) {
      var table = ZONES[zone], lo = 0, hi = table.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (table[mid][0] <= ms) { lo = mid; } else { hi = mid - 1; }
      }
      return table[lo];
    }
    /* Wall-clock fields of an instant in a zone: a Date whose UTC fields read as local time. */
    function wall(ms, zone) {
      var entry = entryAt(zone, ms);
      return { d: new Date(ms + entry[1] * MIN), abbr: entry[2] };
    }
    /* The instant at which a zone's clocks read `naive` (wall-clock fields given as a UTC Date value).
       Ambiguous readings take the later instant and skipped ones move forward, as pendulum does. */
    function fromWall(naive, zone) {
      var best = null;
      ZONES[zone].forEach(function (entry) {
        var utc = naive - entry[1] * MIN;
        if (entryAt(zone, utc)[1] === entry[1] && (best === null || utc > best)) { best = utc; }
      });
      return best !== null ? best : naive - entryAt(zone, naive - DAY)[1] * MIN;
    }
    function formatInstant(ms, zone) {
      var w = wall(ms, zone), d = w.d;
      var text = WEEKDAYS[d.getUTCDay()] + " " + d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" +
        pad2(d.getUTCDate()) + " " + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
      if (d.getUTCSeconds()) { text += ":" + pad2(d.getUTCSeconds()); }
      return text + " " + w.abbr;
    }
    function isoWall(ms, zone) {
      var d = wall(ms, zone).d;
      var text = d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) + "T" +
        pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
      if (d.getUTCSeconds()) { text += ":" + pad2(d.getUTCSeconds()); }
      return text;
    }

    /* Wall-clock fields (a UTC Date value) as ISO-8601 with seconds, as Python's isoformat writes them. */
    function isoSeconds(naive) {
      var d = new Date(naive), millis = d.getUTCMilliseconds();
      return d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) + "T" + pad2(d.getUTCHours()) +
        ":" + pad2(d.getUTCMinutes()) + ":" + pad2(d.getUTCSeconds()) + (millis ? "." + String(millis * 1000).padStart(6, "0") : "");
    }
    function offsetText(minutes) {
      var sign = minutes < 0 ? "-" : "+", m = Math.abs(minutes);
      return sign + pad2(Math.floor(m / 60)) + ":" + pad2(m % 60);
    }
    /* Every instant at which a zone's clocks read `naive` (wall-clock fields given as a UTC Date value):
       none in a gap (clocks jump forward), two in an overlap (clocks fall back), as the offset tables say. */
    function readings(naive, zone) {
      var out = [];
      ZONES[zone].forEach(function (entry) {
        var utc = naive - entry[1] * MIN;
        if (entryAt(zone, utc)[1] === entry[1] && out.indexOf(utc) < 0) { out.push(utc); }
      });
      return out.sort(function (a, b) { return a - b; });
    }
    /* The offset in force just before the gap that swallows `naive` (for the example in the error). */
    function offsetBeforeGap(naive, zone) {
      var table = ZONES[zone];
      for (var k = 1; k < table.length; k += 1) {
        if (naive - table[k - 1][1] * MIN >= table[k][0] && naive - table[k][1] * MIN < table[k][0]) { return table[k - 1][1]; }
      }
      return entryAt(zone, naive)[1];
    }

    /* What `orgsim state` says of text it cannot read as an instant. */
    function unreadable(typed) {
      return "cannot read '" + typed + "' as an instant (use ISO-8601, e.g. 2023-11-18T12:00, 2023-11-18T12:00-08:00 " +
        "or 2023-11-18)";
    }

    var WEEK = /^(\d{4})-?W(\d{2})$/i;
    var ORDINAL = /^(\d{4})-(\d{3})(?=$|[T ])/;
    var ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

    /* Read typed text as an instant: ISO-8601 with an offset as given, naive in the home zone,
       a bare date as the end of that day, a month or a year as the end of it (as `orgsim state --at`).
       A naive time the home zone skips, or shows twice, is refused as `orgsim state` refuses it. */
    function parseInstant(text, home) {
      var typed = text.trim(), week = WEEK.exec(typed), ordinal = ORDINAL.exec(typed), body = typed;
      if (week) { return weekEnd(+week[1], +week[2], typed, home); }
      if (ordinal) {
        // an ordinal date (2024-070, the 70th day of 2024) is read as the calendar date it names, by the same rules
        var nth = +ordinal[2], named = new Date(Date.UTC(+ordinal[1], 0, 1) + (nth - 1) * DAY);
        if (nth < 1 || named.getUTCFullYear() !== +ordinal[1]) { return { error: unreadable(typed) }; }
        body = ordinal[1] + "-" + pad2(named.getUTCMonth() + 1) + "-" + pad2(named.getUTCDate()) +
          typed.slice(ordinal[0].length);
      }
      var m = ISO.exec(body);
      if (!m) { return { error: unreadable(typed) }; }
      var year = +m[1], month = m[2] ? +m[2] : null, day = m[3] ? +m[3] : null;
      var hasTime = m[4] !== undefined;
      if (m[8] && !hasTime) { return { error: "an offset needs a time of day (e.g. 2023-11-20T10:00-08:00)" }; }
      if (month !== null && (month < 1 || month > 12)) {
        return { error: "cannot read '" + typed + "' as an instant: month " + month + " does not exist" };
      }
      if (day !== null) {
        var check = new Date(Date.UTC(year, month - 1, day));
        if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) { return { error: unreadable(typed) }; }
      }
      var naive;
      if (!hasTime) {
        if (day !== null) { naive = Date.UTC(year, month - 1, day, 23, 59, 59, 999); }
        else if (month !== null) { naive = Date.UTC(year, month, 0, 23, 59, 59, 999); }
        else { naive = Date.UTC(year, 11, 31, 23, 59, 59, 999); }
      } else {
        var hour = +m[4], minute = m[5] ? +m[5] : 0, second = m[6] ? +m[6] : 0;
        var millis = m[7] ? +(m[7] + "00").slice(0, 3) : 0;
        if (hour > 23 || minute > 59 || second > 59) { return { error: unreadable(typed) }; }
        naive = Date.UTC(year, month - 1, day, hour, minute, second, millis);
      }
      if (m[8]) {
        if (m[8].toUpperCase() === "Z") { return { ms: naive }; }
        var digits = m[8].replace(":", ""), sign = digits[0] === "-" ? -1 : 1;
        var offset = sign * (+digits.slice(1, 3) * 60 + (digits.length > 3 ? +digits.slice(3, 5) : 0));
        return { ms: naive - offset * MIN };
      }
      return resolveWall(naive, typed, home);
    }

    /* The instant at which the home zone's clocks read `naive`, or the error `orgsim state` gives when they never
       do (a gap) or do twice (an overlap). */
    function resolveWall(naive, typed, home) {
      var found = readings(naive, home);
      if (!found.length) {
        return { error: typed + " does not exist in " + home + " (the clocks skip it that day); give an offset, e.g. " +
          typed + offsetText(offsetBeforeGap(naive, home)) };
      }
      if (found.length > 1) {
        // worded as `orgsim state` words it
        var wallText = isoSeconds(naive), first = found[0], second = found[found.length - 1];
        var early = offsetText(Math.round((naive - first) / MIN)), late = offsetText(Math.round((naive - second) / MIN));
        return { error: typed + " is ambiguous in " + home + " (the clocks go back that night, so it happens twice): " +
          wallText + early + " (" + entryAt(home, first)[2] + ", the first) or " + wallText + late + " (" +
          entryAt(home, second)[2] + ", the second); give the offset, e.g. " + typed + early };
      }
      return { ms: found[0] };
    }

    /* The end of ISO week `week` of `year` (Sunday, 23:59:59.999) in the home zone, as `orgsim state` reads 2023-W47. */
    function weekEnd(year, week, typed, home) {
      var jan4 = new Date(Date.UTC(year, 0, 4)), monday1 = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
      var monday = monday1 + (week - 1) * 7 * DAY, thursday = new Date(monday + 3 * DAY);
      if (week < 1 || thursday.getUTCFullYear() !== year) {
        return { error: "cannot read '" + typed + "' as an instant: week " + pad2(week) + " does not exist" };
      }
      return resolveWall(monday + 7 * DAY - 1, typed, home);
    }

    return {
      entryAt: entryAt, wall: wall, fromWall: fromWall, formatInstant: formatInstant, isoWall: isoWall,
      isoSeconds: isoSeconds, offsetText: offsetText, readings: readings, parseInstant: parseInstant
    };
  }

  return { withZones: withZones };
})();

if (typeof module !== "undefined" && module.exports) { module.exports = OrgsimTime; }
