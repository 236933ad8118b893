// gkcheck serve: upload with progress, show the verdict, check a banner text. No outside code.
(function () {
  "use strict";
  var W = JSON.parse(document.getElementById("words").textContent);
  var form = document.getElementById("check-form");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var chosen = document.getElementById("chosen");
  var button = document.getElementById("check-button");
  var progress = document.getElementById("progress");
  var bar = document.getElementById("bar");
  var ptext = document.getElementById("progress-text");
  var result = document.getElementById("result");
  var dropped = null;

  function randomId() {
    var a = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function names(list) {
    return Array.prototype.map.call(list, function (f) { return f.name; }).join("、");
  }
  input.addEventListener("change", function () { dropped = null; chosen.textContent = names(input.files); });
  ["dragenter", "dragover"].forEach(function (ev) {
    drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    dropped = e.dataTransfer.files;
    chosen.textContent = names(dropped);
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var files = dropped || input.files;
    if (!files || !files.length) { input.click(); return; }
    var data = new FormData();
    Array.prototype.forEach.call(files, function (f) { data.append("files", f, f.name); });
    data.append("lang", W.lang);
    var name = document.getElementById("sub-name").value.trim();
    if (name) { data.append("name", name); }
    var xhr = new XMLHttpRequest();
    var started = Date.now(), timer = null;
    button.disabled = true;
    progress.hidden = false;
    bar.value = 0;
    ptext.textContent = W.uploading;
    xhr.upload.onprogress = function (ev) {
      if (ev.lengthComputable) { bar.value = Math.round(100 * ev.loaded / ev.total); }
    };
    var id = randomId();
    data.append("progress", id);
    xhr.upload.onload = function () {
      bar.removeAttribute("value");  // indeterminate while the checks (and OCR) run
      started = Date.now();
      var show = function (secs) { ptext.textContent = W.checking.replace("{s}", String(secs)); };
      show(0);
      // the server says whether the request waits for a worker or is being checked
      timer = setInterval(function () {
        fetch("/ui/progress/" + id, {credentials: "same-origin"}).then(function (r) {
          return r.json();
        }).then(function (p) {
          if (p.state === "queued") {
            ptext.textContent = W.queued.replace("{n}", String(p.ahead));
          } else if (p.state === "running") {
            show(p.elapsed);
          } else {
            show(Math.round((Date.now() - started) / 1000));
          }
        }).catch(function () { show(Math.round((Date.now() - started) / 1000)); });
      }, 1000);
    };
    xhr.onloadend = function () {
      if (timer) { clearInterval(timer); }
      button.disabled = false;
      progress.hidden = true;
      if (xhr.status === 200) {
        result.innerHTML = xhr.responseText;
        result.scrollIntoView({behavior: "smooth", block: "start"});
      } else if (xhr.status === 413) {
        result.innerHTML = '<p class="error"></p>';
        result.firstChild.textContent = W.too_large;
      } else if (xhr.responseText && xhr.responseText.charAt(0) === "<") {
        result.innerHTML = xhr.responseText;
      } else {
        result.innerHTML = '<p class="error"></p>';
        result.firstChild.textContent = W.failed + (xhr.status || "network");
      }
    };
    xhr.open("POST", form.getAttribute("action"));
    xhr.send(data);
  });

  var bform = document.getElementById("banner-form");
  var btext = document.getElementById("banner-text");
  var bout = document.getElementById("banner-result");
  bform.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = btext.value.trim();
    if (!text) { return; }
    fetch("/api/v1/banner", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({text: text, lang: W.lang}),
      credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (j) {
      bout.textContent = "";
      var r = (j.results || [])[0];
      if (!r) { bout.textContent = W.failed + (j.message || ""); return; }
      var head = document.createElement("p");
      head.className = r.valid ? "banner-ok" : "banner-bad";
      head.textContent = r.valid ? W.valid : W.invalid;
      bout.appendChild(head);
      var fixed = r.valid ? null : (r.expected || null);
      (r.findings || []).forEach(function (f) {
        var p = document.createElement("p");
        p.className = "banner-finding";
        p.textContent = f.rule + " " + f.message;
        bout.appendChild(p);
        if (!fixed && f.evidence && f.evidence.expected) { fixed = f.evidence.expected; }
      });
      if (fixed) {
        var c = document.createElement("p");
        c.className = "banner-expected";
        c.textContent = W.should_be + fixed;
        bout.appendChild(c);
      }
    }).catch(function (err) { bout.textContent = W.failed + err; });
  });
})();
