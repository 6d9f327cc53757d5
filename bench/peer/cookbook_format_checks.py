#!/usr/bin/env python3
"""The format checks of OpenAI's cookbook notebook "Data preparation and analysis for chat model
fine-tuning", as that notebook runs them: the whole file is loaded into a list of parsed examples
first, then seven checks count format errors by type (no token counting). Written for the
benchmark from the notebook's published description; standard library only.

  1. data_type                          the example is not a JSON object
  2. missing_messages_list              it has no (or an empty) "messages" list
  3. message_missing_key                a message lacks "role" or "content"
  4. message_unrecognized_key           a message has a key other than role, content, name,
                                        function_call or weight
  5. unrecognized_role                  a role other than system, user, assistant or function
  6. missing_content                    content is missing, empty or not a string (with no
                                        function_call)
  7. example_missing_assistant_message  no message of the assistant

Usage: python3 cookbook_format_checks.py FILE.jsonl
Prints the count of each error type found, or "No errors found", and the number of examples.
"""
import json
import sys
from collections import defaultdict

ALLOWED_KEYS = ("role", "content", "name", "function_call", "weight")
ALLOWED_ROLES = ("system", "user", "assistant", "function")


def load(path):
    with open(path, "r", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def format_errors(dataset):
    errors = defaultdict(int)
    for example in dataset:
        if not isinstance(example, dict):
            errors["data_type"] += 1
            continue
        messages = example.get("messages", None)
        if not messages:
            errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                errors["message_missing_key"] += 1
            if any(key not in ALLOWED_KEYS for key in message):
                errors["message_unrecognized_key"] += 1
            if message.get("role", None) not in ALLOWED_ROLES:
                errors["unrecognized_role"] += 1
            content = message.get("content", None)
            function_call = message.get("function_call", None)
            if (not content and not function_call) or not isinstance(content, str):
                errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            errors["example_missing_assistant_message"] += 1
    return errors


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: cookbook_format_checks.py FILE.jsonl")
    dataset = load(sys.argv[1])
    print("Num examples:", len(dataset))
    errors = format_errors(dataset)
    if errors:
        print("Found errors:")
        for kind, count in errors.items():
            print(f"{kind}: {count}")
    else:
        print("No errors found")


if __name__ == "__main__":
    main()
