"""One blueprint per public resource: home (and index pages), entity, sparql, dumps, health."""
