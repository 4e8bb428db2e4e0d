/* sl-endpoint.c — placeholder until implemented */
