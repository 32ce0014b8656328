import { fireEvent, render, screen } from "@testing-library/react";
import { useState, type FormEvent } from "react";
import { describe, expect, it } from "vitest";
import { Field, Select, TextArea } from "./Field.tsx";

/** A form that, like the app's pages, checks on submit and keeps its errors in its own state. */
function Form() {
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [size, setSize] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({
      ...(name.length < 3 ? { name: "Too short" } : {}),
      ...(!note ? { note: "Say something" } : {}),
      ...(!size ? { size: "Choose a size" } : {}),
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <TextArea
        label="Note"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.note}
      />
      <Select
        label="Size"
        value={size}
        onChange={(e) => setSize(e.target.value)}
        error={errors.size}
      >
        <option value="">—</option>
        <option value="m">M</option>
      </Select>
      <button type="button" onClick={() => setName("Programmatic")}>
        Fill
      </button>
      <button type="submit">Save</button>
    </form>
  );
}

const messages = () => screen.queryAllByTestId("field-error").map((e) => e.textContent);

describe("Field errors", () => {
  it("go once the field is edited, the other fields keep theirs, and come back on the next submit", () => {
    render(<Form />);
    fireEvent.click(screen.getByText("Save"));
    expect(messages()).toEqual(["Too short", "Say something", "Choose a size"]);
    const name = screen.getByLabelText("Name");
    expect(name.getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(name, { target: { value: "Al" } });
    expect(messages()).toEqual(["Say something", "Choose a size"]);
    expect(name.getAttribute("aria-invalid")).toBeNull();
    expect(name.getAttribute("aria-describedby")).toBeNull();

    fireEvent.change(screen.getByLabelText("Note"), { target: { value: "hi" } });
    fireEvent.change(screen.getByLabelText("Size"), { target: { value: "m" } });
    expect(messages()).toEqual([]);

    // Still too short: the same message as before comes back with the submit.
    fireEvent.click(screen.getByText("Save"));
    expect(messages()).toEqual(["Too short"]);
  });

  it("go when the page changes the value (a button that fills the field)", () => {
    render(<Form />);
    fireEvent.click(screen.getByText("Save"));
    expect(messages()).toContain("Too short");
    fireEvent.click(screen.getByText("Fill"));
    expect(messages()).toEqual(["Say something", "Choose a size"]);
  });
});
