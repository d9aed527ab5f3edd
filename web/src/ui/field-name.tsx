// The name and description every created thing starts with (a knowledge base, a dataset, an
// agent): the name required, the description optional free text of up to 2,000 characters.
import { useState } from "react";
import { type labelled, TextField } from "./controls";

interface Names {
  name: string;
  description: string;
  onName: (name: string) => void;
  onDescription: (description: string) => void;
}

/** A create form's name and description, empty at first: spread into NameFields. */
export function useNames(): Names {
  const [name, onName] = useState("");
  const [description, onDescription] = useState("");
  return { name, description, onName, onDescription };
}

interface NameFieldsProps extends Names {
  /** The form's `labelled(...)`: the controls are its "name" and "description". */
  at: ReturnType<typeof labelled>;
  /** The API's longest name. */
  nameMax: number;
}

export function NameFields({ at, nameMax, name, description, onName, onDescription }: NameFieldsProps) {
  return (
    <>
      <TextField {...at("name", "Name")} required maxLength={nameMax} value={name} onValue={onName} />
      <TextField {...at("description", "Description")} maxLength={2000} value={description} onValue={onDescription} />
    </>
  );
}
