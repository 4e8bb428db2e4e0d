/* sl-sockops.c — placeholder until implemented */
