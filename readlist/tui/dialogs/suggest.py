"""Completion for tag inputs: the last word completes from the library's tags."""

from __future__ import annotations

from textual.suggester import Suggester


class TagSuggester(Suggester):
    """Suggests the rest of the word being typed from known tags (space or comma separated)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value[-1] in " ,":
            return None
        head, _, last = value.replace(",", " ").rpartition(" ")
        typed = {t.lstrip("#") for t in head.split()}
        word = last.lstrip("#").casefold()
        for tag in self.tags:
            if tag.startswith(word) and tag != word and tag not in typed:
                return value + tag[len(word) :]
        return None


def split_tags(text: str) -> list[str]:
    """'ml, moe  #vision' -> ['ml', 'moe', 'vision'] (normalised later by the library)."""
    return [t for t in text.replace(",", " ").split() if t.strip("#")]
