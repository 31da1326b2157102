"""Forms, filters, imports and exports of the partner directory."""
