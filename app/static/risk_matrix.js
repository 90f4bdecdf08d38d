// Marks the cell of the severity and likelihood chosen in the surrounding form and, on the
// assess step, says in the live line where the deviation would go. Every answer is read from the
// table the server wrote (each cell's data-outcome comes from the same rule the step applies,
// workflows/escalation.py): this file holds no threshold and no Swedish of its own. Without it
// the form and the table work as before.

const FIELDS = ["severity", "likelihood", "category_id", "legal_area"];

// A step's form prefixes its fields ("assess-severity"); the investigation's does not.
function fieldOf(name) {
  return (field) => field.name === name || field.name.endsWith(`-${name}`);
}

function valueOf(form, name) {
  // A select, or a group of radio buttons of which the checked one counts.
  const field = Array.from(form.elements)
    .filter(fieldOf(name))
    .find((f) => f.type !== "radio" || f.checked);
  return field ? field.value : "";
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function roleFor(preview, area) {
  for (const pair of (preview.dataset.escalatesTo || "").split(" ")) {
    const [key, role] = pair.split(":");
    if (key && key === area) {
      return role;
    }
  }
  return preview.dataset.textAnyRole;
}

function attach(matrix) {
  const form = matrix.closest("form");
  if (!form) {
    return;
  }
  const cells = matrix.querySelectorAll("td[data-severity]");
  const preview = matrix.querySelector("[data-risk-preview]");

  function update() {
    const severity = valueOf(form, "severity");
    const likelihood = valueOf(form, "likelihood");
    let chosen = null;
    for (const cell of cells) {
      const match =
        cell.dataset.severity === severity && cell.dataset.likelihood === likelihood;
      cell.classList.toggle("risk-cell--chosen", match);
      const marker = cell.querySelector(".chosen-marker");
      if (marker) {
        marker.hidden = !match;
      }
      if (match) {
        chosen = cell;
      }
    }
    if (!preview) {
      return;
    }
    const always = (preview.dataset.alwaysEscalating || "").split(" ").filter(Boolean);
    const role = roleFor(preview, valueOf(form, "legal_area"));
    let text;
    let escalates = false;
    if (always.includes(valueOf(form, "category_id"))) {
      escalates = true;
      text = fill(preview.dataset.textCategory, { role });
    } else if (chosen === null) {
      text = preview.dataset.textChoose;
    } else if (chosen.dataset.outcome === "escalates") {
      escalates = true;
      text = fill(preview.dataset.textEscalates, { role, score: chosen.dataset.score });
    } else {
      text = fill(preview.dataset.textLocal, { score: chosen.dataset.score });
    }
    preview.classList.toggle("risk-preview--escalates", escalates);
    preview.classList.toggle("risk-preview--local", chosen !== null && !escalates);
    if (preview.textContent !== text) {
      preview.textContent = text;
    }
  }

  form.addEventListener("change", (event) => {
    if (FIELDS.some((name) => fieldOf(name)(event.target))) {
      update();
    }
  });
  update();
}

for (const matrix of document.querySelectorAll("[data-risk-matrix]")) {
  attach(matrix);
}
